package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate a client actually sees: rotated in place, or reloaded from mounted files. */
class TlsHttpsTest {
    private static BigInteger servedSerial(TestServer s, String caPem) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestServer.trusting(caPem).getSocketFactory()
                .createSocket("127.0.0.1", s.server.admissionPort())) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** Polls until the served serial differs from {@code before}, failing after a deadline. */
    private static BigInteger awaitNewSerial(TestServer s, String caPem, BigInteger before) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            BigInteger now = servedSerial(s, caPem);
            if (!now.equals(before)) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the served certificate did not change within 30 s");
    }

    private static String pem(String type, byte[] der) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }

    /** The key as openssl and cert-manager write EC keys: SEC1 with the curve named inside. */
    private static String sec1(java.security.PrivateKey key) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        return pem("EC PRIVATE KEY", new ECPrivateKey(256, inner.getKey(),
                info.getPrivateKeyAlgorithm().getParameters()).getEncoded());
    }

    @Test
    void a_certificate_about_to_expire_is_replaced_without_a_restart() throws Exception {
        // lives 6 s, renewed when 4 s are left, checked every 200 ms
        try (TestServer s = new TestServer(new WebhookConfig.Tls(WebhookConfig.Tls.Mode.SELF_SIGNED,
                List.of("localhost", "127.0.0.1"), null, null, null, Duration.ofSeconds(6), Duration.ofSeconds(4),
                Duration.ofMillis(200)))) {
            String ca = s.server.caBundlePem();
            assertThat(s.publishedCa.get()).isEqualTo(ca);
            BigInteger first = servedSerial(s, ca);

            BigInteger second = awaitNewSerial(s, ca, first);

            assertThat(second).isNotEqualTo(first);
            // still trusted through the CA the API server was given, and admission still answers
            assertThat(s.post("/validate-egressgateway", "{}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void mounted_files_are_served_and_reloaded_when_they_change(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        var ca = SelfSignedCertificates.newCa("test-ca", now, Duration.ofDays(30));
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Path caFile = dir.resolve("ca.crt");
        String caPem = SelfSignedCertificates.pem(ca.certificate());
        Files.writeString(caFile, caPem, StandardCharsets.US_ASCII);
        // first SEC1 ("EC PRIVATE KEY"), then PKCS#8: both forms a Secret may hold
        var leaf = SelfSignedCertificates.newServing(ca, List.of("localhost", "127.0.0.1"), now, Duration.ofDays(1));
        Files.writeString(cert, SelfSignedCertificates.pem(leaf.certificate()), StandardCharsets.US_ASCII);
        Files.writeString(key, sec1(leaf.key()), StandardCharsets.US_ASCII);
        WebhookConfig.Tls tls = new WebhookConfig.Tls(WebhookConfig.Tls.Mode.FILES, List.of(), cert, key, caFile,
                Duration.ZERO, Duration.ZERO, Duration.ofMillis(200));

        try (TestServer s = new TestServer(tls)) {
            assertThat(servedSerial(s, caPem)).isEqualTo(leaf.certificate().getSerialNumber());
            assertThat(s.publishedCa.get()).isEqualTo(caPem);

            var next = SelfSignedCertificates.newServing(ca, List.of("localhost"), Instant.now(), Duration.ofDays(1));
            Files.writeString(key, pem("PRIVATE KEY", next.key().getEncoded()), StandardCharsets.US_ASCII); // PKCS#8
            Files.writeString(cert, SelfSignedCertificates.pem(next.certificate()), StandardCharsets.US_ASCII);

            assertThat(awaitNewSerial(s, caPem, leaf.certificate().getSerialNumber()))
                    .isEqualTo(next.certificate().getSerialNumber());
        }
    }
}
