package io.egressgateway.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the source tree (e.g. {@code deploy/crds}) from wherever the JVM was started inside it. */
public final class ProjectPaths {
    private ProjectPaths() {
    }

    /** {@code relative} under the working directory or its nearest ancestor that has it; null when none has. */
    public static Path find(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }
}
