package io.egressgateway.adapters.webhook;

import com.codahale.metrics.MetricRegistry;
import io.egressgateway.application.admission.AdmissionService;
import io.egressgateway.application.lifecycle.ReadinessCheck;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A real server on loopback with ephemeral ports, and a JDK HttpClient that trusts its CA only. */
final class TestServer implements AutoCloseable {
    static final String CONTROLLER = "system:serviceaccount:egressgateway:egressgateway-controller";

    final FakeCluster cluster = new FakeCluster();
    final MetricRegistry metrics = new MetricRegistry();
    final AtomicReference<ReadinessCheck.Result> ready = new AtomicReference<>(ReadinessCheck.Result.ok("synced"));
    final AtomicReference<String> publishedCa = new AtomicReference<>("");
    final WebhookServer server;
    final HttpClient client;

    /** Limits that let the tests reach every edge quickly: 64 KiB bodies, a 2 s request deadline. */
    static final WebhookConfig.Limits TEST_LIMITS = new WebhookConfig.Limits(64 * 1024, Duration.ofSeconds(20),
            Duration.ofSeconds(2), Duration.ofSeconds(10), 4, 64, Duration.ofSeconds(1), 128, 16);

    /**
     * Limits for the tests that are not about limits: the request deadline also bounds the TLS
     * handshake and the queue wait refuses slow reviews, so 2 s and 1 s closed connections (a client's
     * "broken pipe") at load average ~30 on 2 CPUs. These only bound a failing run.
     */
    static final WebhookConfig.Limits EVERYDAY_LIMITS = new WebhookConfig.Limits(64 * 1024, Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(30), 4, 64, Duration.ofSeconds(30), 128, 16);

    TestServer() throws Exception {
        this(selfSigned(), EVERYDAY_LIMITS);
    }

    TestServer(WebhookConfig.Tls tls) throws Exception {
        this(tls, EVERYDAY_LIMITS);
    }

    TestServer(WebhookConfig.Limits limits) throws Exception {
        this(selfSigned(), limits);
    }

    TestServer(WebhookConfig.Tls tls, WebhookConfig.Limits limits) throws Exception {
        WebhookConfig config = new WebhookConfig("127.0.0.1", WebhookConfig.EPHEMERAL, WebhookConfig.EPHEMERAL,
                WebhookConfig.EPHEMERAL, tls, limits);
        server = WebhookServer.start(config, new WebhookServer.Wiring(new AdmissionService(cluster, Set.of(CONTROLLER), true),
                metrics, ReadinessCheck.always(), () -> ready.get(), publishedCa::set));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(server.caBundlePem()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static WebhookConfig.Tls selfSigned() {
        return new WebhookConfig.Tls(WebhookConfig.Tls.Mode.SELF_SIGNED, List.of("localhost", "127.0.0.1"), null, null,
                null, Duration.ofDays(30), Duration.ofDays(1), Duration.ofMinutes(10));
    }

    static SSLContext trusting(String pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (var c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            ks.setCertificateEntry("ca" + i++, (X509Certificate) c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.admissionPort() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
