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
            if (readOnly(e)) {
                throw new IllegalStateException(readOnlyMessage(path, value, e.getMessage()), e);
            }
            throw new IllegalStateException("cannot write sysctl " + path + " = " + value + ": " + e.getMessage(), e);
        }
    }

    /**
     * The failure for a value that must change where /proc/sys cannot be written (a container that is
     * not privileged): names the sysctl and the two ways to set it on the node.
     */
    public static String readOnlyMessage(String path, String value, String cause) {
        return "cannot write sysctl " + path + " = " + value + ": /proc/sys is read-only here (" + cause
                + "; a container that is not privileged). Set it on the node before the agent runs: the install's"
                + " prepare-node init container does (`egressgateway prepare-node`, docs/install.md), or run"
                + " `sysctl -w " + path.replace('/', '.') + "=" + value + "` on the node";
    }

    private static boolean readOnly(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException
                || String.valueOf(e.getMessage()).contains("Read-only file system");
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
