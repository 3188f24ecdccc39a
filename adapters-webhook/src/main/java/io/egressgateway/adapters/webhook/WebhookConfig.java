package io.egressgateway.adapters.webhook;

import io.egressgateway.application.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the process's one HTTP server listens. A port of 0 disables that listener, {@link #EPHEMERAL}
 * asks the kernel for a free one (tests read it back from the server); two roles sharing
 * a port (metrics and health on one port, say) share one listener. Admission is always HTTPS; the
 * metrics and health listeners are plain HTTP (kubelet probes and scrapers inside the cluster).
 *
 * @param bindAddress     address to listen on ("0.0.0.0" in a pod, "127.0.0.1" in tests)
 * @param maxBodyBytes    larger request bodies are refused with 413 before they are read
 * @param readTimeout     a connection that sends nothing for this long is closed
 * @param requestTimeout  a request must arrive whole within this long of its first byte (slow clients)
 */
public record WebhookConfig(String bindAddress, int admissionPort, int metricsPort, int healthPort, Tls tls,
                            int maxBodyBytes, Duration readTimeout, Duration requestTimeout) {
    public static final int DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;
    /** A port value that binds any free port; each listener given it gets its own. */
    public static final int EPHEMERAL = -1;

    public WebhookConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        for (int p : new int[] {admissionPort, metricsPort, healthPort}) {
            if (p < EPHEMERAL || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is not in 0..65535 (or -1 for any free port)");
            }
        }
        if (admissionPort > 0 && (admissionPort == metricsPort || admissionPort == healthPort)) {
            throw new IllegalArgumentException("the admission port " + admissionPort
                    + " is HTTPS and cannot be shared with the plain-HTTP metrics or health port");
        }
        if (admissionPort != 0) {
            Objects.requireNonNull(tls, "tls is required when the admission port is set");
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
    }

    /** The ports of {@code Settings}, every other knob at its default. */
    public static WebhookConfig of(Settings.Ports ports, Tls tls) {
        return new WebhookConfig("0.0.0.0", ports.webhook(), ports.metrics(), ports.health(), tls,
                DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(15));
    }

    /**
     * Where the serving certificate comes from.
     *
     * @param dnsNames       SANs of the self-signed certificate, e.g. {@code egressgateway-webhook.egressgateway.svc}
     *                       (IP literals become IP SANs)
     * @param certFile       FILES mode: PEM certificate chain (e.g. a mounted Secret's {@code tls.crt})
     * @param keyFile        FILES mode: PEM private key ({@code tls.key})
     * @param caFile         FILES mode, optional: CA bundle to publish ({@code ca.crt}); null publishes nothing
     * @param validity       SELF_SIGNED: lifetime of the serving certificate (the CA lives ten times longer)
     * @param renewBefore    SELF_SIGNED: re-issue when the certificate has less than this left
     * @param checkInterval  how often expiry (SELF_SIGNED) or the files (FILES) are checked
     */
    public record Tls(Mode mode, List<String> dnsNames, Path certFile, Path keyFile, Path caFile,
                      Duration validity, Duration renewBefore, Duration checkInterval) {
        public enum Mode { SELF_SIGNED, FILES }

        public Tls {
            Objects.requireNonNull(mode, "mode");
            dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
            if (mode == Mode.SELF_SIGNED && dnsNames.isEmpty()) {
                throw new IllegalArgumentException("tls.dnsNames must name the webhook Service for a self-signed certificate");
            }
            if (mode == Mode.FILES && (certFile == null || keyFile == null)) {
                throw new IllegalArgumentException("tls.certFile and tls.keyFile are required in FILES mode");
            }
            if (mode == Mode.SELF_SIGNED && renewBefore.compareTo(validity) >= 0) {
                throw new IllegalArgumentException("tls.renewBefore " + renewBefore + " must be shorter than tls.validity "
                        + validity);
            }
        }

        /** Self-signed for the Service {@code name} in {@code namespace}: one year, renewed a month early. */
        public static Tls selfSigned(String service, String namespace) {
            return new Tls(Mode.SELF_SIGNED, List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
                    service + "." + namespace + ".svc.cluster.local"), null, null, null, Duration.ofDays(365),
                    Duration.ofDays(30), Duration.ofMinutes(10));
        }

        public static Tls files(Path certFile, Path keyFile, Path caFile) {
            return new Tls(Mode.FILES, List.of(), certFile, keyFile, caFile, Duration.ZERO, Duration.ZERO,
                    Duration.ofMinutes(1));
        }
    }
}
