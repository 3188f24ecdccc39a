package io.egressgateway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code egressgateway prepare-node} in a network namespace of its own, as the agent pod's init
 * container runs it on a node: forwarding on, the multipath hash to L4 only where it is 0, a value
 * someone else chose left alone, and a second run writes nothing.
 */
class PrepareNodeNetnsIT {
    private final String ns = "egw-" + UUID.randomUUID().toString().substring(0, 6) + "-prep";

    @BeforeEach
    void add() {
        assumeTrue("0".equals(sh("id", "-u").strip()), "skipped: network-namespace tests need root");
        sh("ip", "netns", "add", ns);
    }

    @AfterEach
    void delete() {
        if ("0".equals(sh("id", "-u").strip())) {
            sh("ip", "netns", "delete", ns);
        }
    }

    @Test
    void setsForwardingAndTheHashWhereZeroAndLeavesAForeignHashAlone() {
        sysctl("net.ipv4.ip_forward=0", "net.ipv4.fib_multipath_hash_policy=0");
        String out = prepareNode();
        assertThat(out).contains("set net/ipv4/ip_forward 0 -> 1", "set net/ipv4/fib_multipath_hash_policy 0 -> 1");
        assertThat(read("net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(read("net.ipv4.fib_multipath_hash_policy")).isEqualTo("1");

        assertThat(prepareNode()).as("a second run").doesNotContain("prepare-node: set");

        sysctl("net.ipv4.fib_multipath_hash_policy=2");
        assertThat(prepareNode()).doesNotContain("fib_multipath_hash_policy 2 ->");
        assertThat(read("net.ipv4.fib_multipath_hash_policy")).as("someone else's choice").isEqualTo("2");
    }

    @Test
    void withoutMultipathHashTheHashIsNotTouched() {
        sysctl("net.ipv4.fib_multipath_hash_policy=0");
        prepareNode("--no-multipath-hash");
        assertThat(read("net.ipv4.fib_multipath_hash_policy")).isEqualTo("0");
    }

    /**
     * As in an unprivileged container: /proc/sys read-only (a bind mount in a mount namespace of the
     * child's own). A value that is already right is not written, so the command succeeds; a wrong one
     * fails with the sysctl and the fix, not a stack trace.
     */
    @Test
    void withAReadOnlyProcSysRightValuesAreLeftAndAWrongOneIsNamed() {
        Path jar = Path.of("target", "egressgateway.jar");
        assumeTrue(Files.isRegularFile(jar), "skipped: " + jar.toAbsolutePath() + " not built (runs after package)");
        sysctl("net.ipv4.ip_forward=1", "net.ipv4.fib_multipath_hash_policy=2");
        String[] ok = readOnlyProcSys(jar);
        assertThat(ok[0]).as("exit status; stderr: %s", ok[2]).isEqualTo("0");
        assertThat(ok[1]).contains("net/ipv4/ip_forward = 1 already", "net/ipv4/fib_multipath_hash_policy = 2 already");

        sysctl("net.ipv4.ip_forward=0");
        String[] bad = readOnlyProcSys(jar);
        assertThat(bad[0]).isEqualTo("1");
        assertThat(bad[2]).contains("cannot write sysctl net/ipv4/ip_forward = 1", "read-only",
                "sysctl -w net.ipv4.ip_forward=1").doesNotContain("Exception");
        assertThat(read("net.ipv4.ip_forward")).isEqualTo("0");
    }

    /** {status, stdout, stderr} of prepare-node run from the jar in the namespace with /proc/sys read-only. */
    private String[] readOnlyProcSys(Path jar) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = "mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys && exec \"$0\" -jar \"$1\" prepare-node";
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, "unshare", "-m", "sh", "-c", script, java,
                    jar.toAbsolutePath().toString()).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8)};
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String prepareNode(String... extra) {
        List<String> args = new ArrayList<>(List.of("prepare-node", "--netns=" + ns));
        args.addAll(List.of(extra));
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int status = Main.run(args.toArray(String[]::new));
            assertThat(status).as("prepare-node exit status; output: %s", out).isZero();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void sysctl(String... assignments) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "sysctl", "-qw"));
        cmd.addAll(List.of(assignments));
        sh(cmd.toArray(String[]::new));
    }

    private String read(String key) {
        return sh("ip", "netns", "exec", ns, "sysctl", "-n", key).strip();
    }

    private static String sh(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(List.of(argv) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(List.of(argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
