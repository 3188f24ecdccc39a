package io.egressgateway.testbed.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalCdsArchiveTest {

    @Test
    void flagsWithoutTheImagesArchiveStayAsTheyAre() {
        List<String> flags = List.of("-Xmx96m", "-XX:SharedArchiveFile=/elsewhere/agent.jsa");
        assertThat(LocalCdsArchive.localize(flags, "agent")).isEqualTo(flags);
    }

    /** bin/cds-archive refuses a role it has no class list for: the JVM then starts without the flag. */
    @Test
    void theFlagIsDroppedWhenNoArchiveCanBeBuilt() {
        List<String> flags = List.of("-Xmx96m", "-XX:SharedArchiveFile=/app/cds/nosuchrole.jsa", "-Xss512k");
        assertThat(LocalCdsArchive.localize(flags, "nosuchrole")).containsExactly("-Xmx96m", "-Xss512k");
    }
}
