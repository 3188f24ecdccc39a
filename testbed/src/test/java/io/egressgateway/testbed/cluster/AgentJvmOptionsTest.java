package io.egressgateway.testbed.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.testbed.ProjectPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentJvmOptionsTest {

    @Test
    void parsesFlagsAndSkipsComments() {
        assertThat(AgentJvmOptions.parse("# why\n-Xmx96m  -Xss512k\n\n-XX:+UseSerialGC\n"))
                .containsExactly("-Xmx96m", "-Xss512k", "-XX:+UseSerialGC");
    }

    @Test
    void refusesWhatIsNoFlag() {
        assertThatThrownBy(() -> AgentJvmOptions.parse("-Xmx96m Xss512k")).hasMessageContaining("\"Xss512k\"");
        assertThatThrownBy(() -> AgentJvmOptions.parse("# only a comment\n")).hasMessageContaining("no flags");
    }

    /** The DaemonSet cannot read the file, so it repeats the flags: they must not drift apart. */
    @Test
    void theDaemonSetStartsTheAgentWithTheSameFlags() throws Exception {
        List<String> flags = AgentJvmOptions.production();
        assertThat(flags).contains("-Xmx96m");
        assertThat(commandFlags("name: agent")).as("the agent's command in deploy/egressgateway.yaml")
                .containsExactlyElementsOf(flags);
    }

    /** The same for the controller's Deployment and bin/controller-jvm-options. */
    @Test
    void theDeploymentStartsTheControllerWithTheSameFlags() throws Exception {
        List<String> flags = AgentJvmOptions.controller();
        assertThat(flags).anyMatch(f -> f.startsWith("-Xmx"));
        assertThat(commandFlags("- name: controller")).as("the controller's command in deploy/egressgateway.yaml")
                .containsExactlyElementsOf(flags);
    }

    private static List<String> commandFlags(String container) throws Exception {
        Path yaml = ProjectPaths.find("deploy/egressgateway.yaml");
        String command = Files.readString(yaml).lines().dropWhile(l -> !l.contains(container))
                .dropWhile(l -> !l.contains("command:")).takeWhile(l -> !l.contains("args:"))
                .reduce("", String::concat);
        return java.util.Arrays.stream(command.split("\"")).filter(s -> s.startsWith("-X")).toList();
    }
}
