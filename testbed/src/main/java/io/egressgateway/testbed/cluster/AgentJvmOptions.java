package io.egressgateway.testbed.cluster;

import io.egressgateway.testbed.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The agent's production JVM flags, read from {@code bin/agent-jvm-options}, and the controller's,
 * from {@code bin/controller-jvm-options}: the files bin/egressgateway reads too, so that a
 * benchmark never measures a process started differently from the one users run.
 */
public final class AgentJvmOptions {
    public static final String FILE = "bin/agent-jvm-options";
    public static final String CONTROLLER_FILE = "bin/controller-jvm-options";

    private AgentJvmOptions() {
    }

    /** The flags of {@value #FILE} found from the working directory (the source tree). */
    public static List<String> production() {
        return read(FILE);
    }

    /** The flags of {@value #CONTROLLER_FILE}. */
    public static List<String> controller() {
        return read(CONTROLLER_FILE);
    }

    private static List<String> read(String name) {
        Path file = ProjectPaths.find(name);
        if (file == null) {
            throw new IllegalStateException(name + " not found from " + Path.of("").toAbsolutePath()
                    + ": run from inside the source tree");
        }
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whitespace-separated flags; lines starting with {@code #} are comments (as bin/egressgateway skips them). */
    static List<String> parse(String text) {
        List<String> flags = text.lines().filter(l -> !l.startsWith("#"))
                .flatMap(l -> Arrays.stream(l.trim().split("\\s+"))).filter(f -> !f.isEmpty()).toList();
        for (String f : flags) {
            if (!f.startsWith("-")) {
                throw new IllegalArgumentException(FILE + ": \"" + f + "\" is not a JVM flag (flags start with -)");
            }
        }
        if (flags.isEmpty()) {
            throw new IllegalArgumentException(FILE + ": no flags");
        }
        return flags;
    }
}
