package io.egressgateway.bootstrap.config;

import java.nio.file.Path;
import java.util.Optional;

/** The controller's webhook listener: certificate source and who the controller is. Bootstrap-only. */
public record WebhookSettings(String service, Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> caFile,
                              Optional<Path> caBundleFile, String controllerUser) {
}
