package io.egressgateway.adapters.linux.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads and writes {@code /proc/sys}. Network sysctls resolve against the network namespace of the
 * thread that opens the file, so call these on the {@link NetnsExecutor} thread (the NetnsIT tests
 * check that a write there is invisible in the JVM's own namespace).
 */
public final class Sysctls {
    private static final Path ROOT = Path.of("/proc/sys");

    private Sysctls() {
    }

    /** The value with runs of whitespace collapsed to one space, or empty when the path does not exist. */
    public static Optional<String> read(String path) {
        try {
            return Optional.of(normalise(Files.readString(resolve(path), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read sysctl " + path + ": " + e.getMessage(), e);
        }
    }

    public static void write(String path, String value) {
        Path p = resolve(path);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("sysctl " + path + " does not exist in this kernel or namespace");
        }
        try {
            Files.writeString(p, value + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write sysctl " + path + " = " + value + ": " + e.getMessage(), e);
        }
    }

    public static String normalise(String raw) {
        return raw.strip().replaceAll("\\s+", " ");
    }

    private static Path resolve(String path) {
        if (path.contains("..") || path.startsWith("/")) {
            throw new IllegalArgumentException("sysctl path must be relative to /proc/sys without '..': " + path);
        }
        return ROOT.resolve(path);
    }
}
