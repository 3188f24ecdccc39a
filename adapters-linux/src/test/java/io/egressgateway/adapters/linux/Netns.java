package io.egressgateway.adapters.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Test helper: network namespaces with a per-run prefix ({@code egw-<6 random>-<role>}), shell-free
 * commands in them, and removal of all of them at the end, also after a failure.
 */
final class Netns implements AutoCloseable {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private final String prefix;
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());

    Netns() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder("egw-");
        for (int i = 0; i < 6; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        prefix = sb.toString();
    }

    static void assumeRoot() {
        String user = System.getProperty("user.name");
        boolean root = "root".equals(user) || run(List.of("id", "-u")).strip().equals("0");
        assumeTrue(root, "skipped: network-namespace tests need root (CAP_NET_ADMIN, CAP_SYS_ADMIN)");
    }

    String add(String role) {
        String name = prefix + "-" + role;
        run(List.of("ip", "netns", "add", name));
        created.add(name);
        exec(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    /** Runs argv inside {@code ns} (test setup only: the adapter itself never uses ip netns exec). */
    static String exec(String ns, String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(argv));
        return run(cmd);
    }

    static String tryExec(String ns, String... argv) {
        try {
            return exec(ns, argv);
        } catch (IllegalStateException e) {
            return "FAILED: " + e.getMessage();
        }
    }

    static String run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timeout: " + argv);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(argv + " exit " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(argv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code condition} with a deadline; the message says what never happened. */
    static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        for (String ns : created) {
            try {
                run(List.of("ip", "netns", "pids", ns)).lines().forEach(pid -> run(List.of("kill", "-9", pid.strip())));
            } catch (RuntimeException ignored) {
                // best effort: the namespace is deleted below anyway
            }
            try {
                run(List.of("ip", "netns", "del", ns));
            } catch (RuntimeException e) {
                System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        created.clear();
    }
}
