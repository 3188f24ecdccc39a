package io.egressgateway.adapters.linux.sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system tool with an argument vector (never a shell) and optional standard input. It must be
 * called on a {@link NetnsExecutor} thread: the child inherits that thread's network namespace.
 */
public final class ProcessRunner {
    /** Where tools are looked up; the property (a colon-separated list) exists for tests of a bare node. */
    public static final String PATH_PROPERTY = "egressgateway.toolPath";
    private static final String SEARCH_PATH = "/usr/sbin:/sbin:/usr/bin:/bin:/usr/local/sbin";
    private static final Map<String, String> PACKAGES = Map.of(
            "ipset", "ipset", "iptables", "iptables", "ip6tables", "iptables", "ip", "iproute2",
            "conntrack", "conntrack");

    /** What a tool printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "egw-process-output");
        t.setDaemon(true);
        return t;
    });

    private ProcessRunner() {
    }

    /** The absolute path of {@code tool}, or an error that says which package to install. */
    public static Path locate(String tool) {
        Optional<Path> found = find(tool);
        return found.orElseThrow(() -> new MissingToolException(tool + " binary not found in " + searchPath()
                + ": apt-get install " + packageOf(tool)));
    }

    public static Optional<Path> find(String tool) {
        return searchPath().stream().map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
    }

    private static List<String> searchPath() {
        return List.of(System.getProperty(PATH_PROPERTY, SEARCH_PATH).split(":"));
    }

    public static Result run(List<String> argv, String stdin) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(argv.get(0) + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + argv.get(0), e);
        }
    }

    /** Runs and fails with the tool's own message when it exits non-zero. */
    public static String check(List<String> argv, String stdin) {
        Result r = run(argv, stdin);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", argv) + " failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip());
        }
        return r.stdout();
    }

    private static String packageOf(String tool) {
        String base = tool.replaceAll("-(legacy|nft)?-?(save|restore)$", "").replaceAll("-(legacy|nft)$", "");
        return PACKAGES.getOrDefault(base, base);
    }

    private static CompletableFuture<String> drain(InputStream s) {
        // own threads, not the common pool: on a 2-CPU node that pool has one worker, and a tool
        // that fills its stderr pipe while the worker waits on its stdout would never finish
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, DRAINERS);
    }
}
