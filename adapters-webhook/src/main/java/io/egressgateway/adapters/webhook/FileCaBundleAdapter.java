package io.egressgateway.adapters.webhook;

import io.egressgateway.application.port.out.PublishCaBundlePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Publishes the CA bundle as a PEM file, replaced atomically so a reader never sees half of it. */
final class FileCaBundleAdapter implements PublishCaBundlePort {
    private final Path file;

    FileCaBundleAdapter(Path file) {
        this.file = file;
    }

    @Override
    public void publish(String caBundlePem) throws Exception {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, caBundlePem, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
