package io.egressgateway.testbed.apiserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;

/**
 * POSTs an AdmissionReview to a webhook over HTTPS, trusting exactly the webhook's {@code caBundle}
 * (as the real API server does; no system trust store, host name checked against the certificate).
 */
final class WebhookTransport {
    private final Map<String, HttpClient> clientsByCaBundle = new ConcurrentHashMap<>();

    /** The response body as JSON; throws with a message naming the URL when the call fails. */
    JsonNode post(String url, String caBundleBase64, JsonNode review, Duration timeout) throws IOException {
        if (!url.startsWith("https://")) {
            throw new IOException("webhook URL " + url + " is not https (the API server only calls webhooks over TLS)");
        }
        HttpClient client = clientsByCaBundle.computeIfAbsent(caBundleBase64 == null ? "" : caBundleBase64,
                WebhookTransport::newClient);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(review))).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("Post \"" + url + "\": HTTP " + response.statusCode() + " " + response.body());
            }
            return Json.parse(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Post \"" + url + "\": interrupted", e);
        } catch (IOException e) {
            throw new IOException("Post \"" + url + "\": " + e, e);
        }
    }

    private static HttpClient newClient(String caBundleBase64) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            if (!caBundleBase64.isEmpty()) {
                byte[] pem = Base64.getDecoder().decode(caBundleBase64.replaceAll("\\s", ""));
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(pem))) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook caBundle is not a base64 PEM certificate bundle: " + e.getMessage()
                    + " (first bytes: " + new String(caBundleBase64.getBytes(StandardCharsets.US_ASCII), 0,
                            Math.min(16, caBundleBase64.length()), StandardCharsets.US_ASCII) + ")", e);
        }
    }
}
