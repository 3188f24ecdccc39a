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
 * @param limits          how much the server takes on, and how long it waits for a client
 */
public record WebhookConfig(String bindAddress, int admissionPort, int metricsPort, int healthPort, Tls tls,
                            Limits limits) {
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
        Objects.requireNonNull(limits, "limits");
    }

    /** The ports of {@code Settings} on every address, with these limits. */
    public static WebhookConfig of(Settings.Ports ports, Tls tls, Limits limits) {
        return new WebhookConfig("0.0.0.0", ports.webhook(), ports.metrics(), ports.health(), tls, limits);
    }

    /**
     * What one server takes on. Each connection has at most one request in progress (the next one is
     * not read before the answer is written), so connections bound the requests; admission bounds
     * its decisions further, and refuses what it cannot decide in time (docs/webhook.md, "Limits").
     *
     * @param maxBodyBytes             larger request bodies are refused with 413 before they are read
     * @param readTimeout              a connection that sends nothing for this long while the server waits
     *                                 for it (idle keep-alive, a stalled request) is closed
     * @param requestTimeout           a request must arrive whole within this long of its first byte, and a
     *                                 TLS handshake must finish within it (slowloris)
     * @param writeTimeout             an answer the client does not take within this long closes the connection
     *                                 (slow readers)
     * @param admissionWorkers         reviews decided at once, on threads of their own
     * @param admissionQueue           reviews waiting for a worker; one more is refused at once with 503
     * @param admissionMaxQueueWait    a review that waited longer is refused with 503 instead of decided: the
     *                                 API server (timeoutSeconds 3-5 s) has stopped waiting for it by then
     * @param admissionMaxConnections  connections to the admission listener
     * @param opsMaxConnections        connections to each of the metrics and health listeners
     */
    public record Limits(int maxBodyBytes, Duration readTimeout, Duration requestTimeout, Duration writeTimeout,
                         int admissionWorkers, int admissionQueue, Duration admissionMaxQueueWait,
                         int admissionMaxConnections, int opsMaxConnections) {
        /** The defaults of reference.conf (docs/configuration.md says why each). */
        public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(10), 4, 64, Duration.ofSeconds(1), 128, 16);

        public Limits {
            positive("maxBodyBytes", maxBodyBytes);
            positive("admissionWorkers", admissionWorkers);
            positive("admissionMaxConnections", admissionMaxConnections);
            positive("opsMaxConnections", opsMaxConnections);
            if (admissionQueue < 0) {
                throw new IllegalArgumentException("admissionQueue must not be negative, got " + admissionQueue);
            }
            for (Duration d : new Duration[] {readTimeout, requestTimeout, writeTimeout, admissionMaxQueueWait}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("timeouts must be positive, got " + d);
                }
            }
        }

        private static void positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }
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
