package io.egressgateway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help, bad roles and flags, bad configuration, all with exit status 2 and a clear message. */
class MainTest {
    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsTheRolesAndOptions() {
        Result r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--role", "controller", "agent", "--config", "--node-name", "cleanup", "prepare-node");
    }

    @Test
    void anUnknownRoleNamesTheValueAndTheValidChoices() {
        Result r = run("--role=gateway");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("gateway").contains("controller").contains("agent");
    }

    @Test
    void anUnknownFlagIsRefused() {
        Result r = run("--role=agent", "--colour=blue");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--colour=blue");
    }

    @Test
    void aMissingRoleIsRefused() {
        Result r = run();
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--role");
    }

    @Test
    void cleanupTakesNoRoleAndNamesAMissingNamespace() {
        Result r = run("cleanup", "--netns=egw-no-such-namespace");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("egw-no-such-namespace").doesNotContain("--role");
    }

    @Test
    void prepareNodeTakesNoRoleAndNamesAMissingNamespace() {
        Result r = run("prepare-node", "--netns=egw-no-such-namespace");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("prepare-node", "egw-no-such-namespace").doesNotContain("--role");
    }

    @Test
    void theAgentNeedsItsNodeName() {
        Result r = run("--role=agent", "--node-name=");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--node-name", "NODE_NAME");
    }

    @Test
    void aMistypedConfigurationValueFailsAtStartWithKeyAndValue(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "heartbeat.interval = often\n");
        Result r = run("--role=agent", "--config=" + conf);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("heartbeat.interval", "often", "duration");
    }
}
