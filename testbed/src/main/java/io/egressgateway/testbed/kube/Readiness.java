package io.egressgateway.testbed.kube;

import io.egressgateway.testbed.ManagedProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Waits for kube-apiserver's {@code /readyz} (verifying its certificate against the run's CA) and reads its version. */
final class Readiness {
    private static final Pattern GIT_VERSION = Pattern.compile("\"gitVersion\"\\s*:\\s*\"([^\"]+)\"");

    private Readiness() {
    }

    /** Returns the server's gitVersion once {@code /readyz} answers 200; throws with the process's log when it dies. */
    static String await(String url, String caPem, String token, ManagedProcess process, Duration deadline) {
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(caPem)).connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + deadline.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited; its log (" + process.logFile() + ") ends with:\n"
                        + process.logTail(30));
            }
            try {
                HttpResponse<String> r = http.send(get(url + "/readyz", token), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    String v = http.send(get(url + "/version", token), HttpResponse.BodyHandlers.ofString()).body();
                    Matcher m = GIT_VERSION.matcher(v);
                    return m.find() ? m.group(1) : "unknown (" + v.strip() + ")";
                }
                last = "HTTP " + r.statusCode() + ": " + r.body().lines().filter(l -> l.contains("failed")).toList();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for kube-apiserver", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for kube-apiserver", e);
            }
        }
        throw new IllegalStateException("kube-apiserver not ready at " + url + " within " + deadline + " (last: " + last
                + "); its log (" + process.logFile() + ") ends with:\n" + process.logTail(30));
    }

    private static HttpRequest get(String uri, String token) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    /** An SSL context that trusts exactly {@code caPem}. */
    static SSLContext trusting(String caPem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the testbed CA: " + e, e);
        }
    }
}
