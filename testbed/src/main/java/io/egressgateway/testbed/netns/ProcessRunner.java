package io.egressgateway.testbed.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as an argv vector (never through a shell), optionally inside a named network
 * namespace ({@code ip netns exec}), with a deadline. Test infrastructure only: the agent itself
 * never forks per kernel object.
 */
public final class ProcessRunner {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private ProcessRunner() {
    }

    /** What a finished command printed and returned. */
    public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Throws with the command, exit code and stderr unless the command succeeded. */
        public Result orThrow() {
            if (exitCode != 0) {
                throw new IllegalStateException("command failed (exit " + exitCode + "): " + String.join(" ", argv)
                        + (stderr.isBlank() ? "" : "\n" + stderr.strip()));
            }
            return this;
        }
    }

    /** Runs {@code argv} in the caller's namespace; throws when it fails. */
    public static Result run(List<String> argv) {
        return tryRun(argv, DEFAULT_TIMEOUT).orThrow();
    }

    /** Runs {@code argv} in network namespace {@code netns}; throws when it fails. */
    public static Result runIn(String netns, List<String> argv) {
        return tryRun(inNetns(netns, argv), DEFAULT_TIMEOUT).orThrow();
    }

    public static List<String> inNetns(String netns, List<String> argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        full.addAll(argv);
        return full;
    }

    /** Runs {@code argv} and returns its result whatever the exit code; a timeout kills it and counts as exit 124. */
    public static Result tryRun(List<String> argv, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return new Result(argv, 127, "", "cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(argv, 124, out.getNow(""), "timed out after " + timeout + ": " + err.getNow(""));
            }
            return new Result(argv, p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(argv, 130, "", "interrupted");
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException("reading output of " + argv, e.getCause()));
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        }, "proc-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
