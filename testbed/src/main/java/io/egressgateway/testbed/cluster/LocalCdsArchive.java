package io.egressgateway.testbed.cluster;

import io.egressgateway.testbed.ProjectPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production's JVM flags name the image's class data sharing archive ({@value #IMAGE_DIR}/&lt;role&gt;.jsa,
 * docs/image.md "Class data sharing"). A process the testbed starts from the source tree gets this
 * machine's archive instead, built by {@code bin/cds-archive} from the same class list with the JVM
 * that will run it; when that fails, the flag is dropped and the JVM runs with the JDK's own archive.
 */
final class LocalCdsArchive {
    static final String IMAGE_DIR = "/app/cds";
    private static final Logger LOG = LoggerFactory.getLogger(LocalCdsArchive.class);
    private static final long TIMEOUT_S = 180;

    private LocalCdsArchive() {
    }

    /** {@code flags} with the image's archive of {@code role} replaced by this machine's (or removed). */
    static List<String> localize(List<String> flags, String role) {
        String flag = flag(IMAGE_DIR + "/" + role + ".jsa");
        if (!flags.contains(flag)) {
            return flags;
        }
        String local = build(role);
        return flags.stream().filter(f -> local != null || !f.equals(flag))
                .map(f -> f.equals(flag) ? flag(local) : f).toList();
    }

    static String flag(String path) {
        return "-XX:SharedArchiveFile=" + path;
    }

    /** The archive's path, or null (logged) when bin/cds-archive could not make it. */
    private static String build(String role) {
        Path script = ProjectPaths.find("bin/cds-archive");
        if (script == null) {
            LOG.warn("testbed: bin/cds-archive not found: the {} runs without its class data sharing archive", role);
            return null;
        }
        ProcessBuilder pb = new ProcessBuilder(script.toString(), role).redirectErrorStream(true);
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                LOG.warn("testbed: bin/cds-archive {} failed, the {} runs without its archive: {}", role, role, out);
                return null;
            }
            return out.lines().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            LOG.warn("testbed: cannot run bin/cds-archive {}: {}", role, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
