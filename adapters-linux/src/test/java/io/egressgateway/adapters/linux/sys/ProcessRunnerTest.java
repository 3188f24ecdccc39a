package io.egressgateway.adapters.linux.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {

    @Test
    void aMissingToolSaysWhatToInstall() {
        assertThatThrownBy(() -> ProcessRunner.locate("ipset-egw-missing"))
                .isInstanceOf(MissingToolException.class)
                .hasMessageContaining("ipset-egw-missing binary not found").hasMessageContaining("apt-get install");
        assertThatThrownBy(() -> ProcessRunner.locate("iptables-egw-restore"))
                .hasMessageContaining("apt-get install iptables");
    }

    @Test
    void argumentsAreAVectorNotAShellLine() {
        String out = ProcessRunner.check(List.of("/bin/echo", "a;b", "$(id)"), null);
        assertThat(out.strip()).isEqualTo("a;b $(id)");
    }

    @Test
    void standardInputReachesTheTool() {
        assertThat(ProcessRunner.check(List.of("/bin/cat"), "*mangle\nCOMMIT\n")).isEqualTo("*mangle\nCOMMIT\n");
    }

    @Test
    void aFailingToolIsReportedWithItsStderr() {
        assertThatThrownBy(() -> ProcessRunner.check(List.of("/bin/sh", "-c", "echo broken >&2; exit 3"), null))
                .hasMessageContaining("exit 3").hasMessageContaining("broken");
    }
}
