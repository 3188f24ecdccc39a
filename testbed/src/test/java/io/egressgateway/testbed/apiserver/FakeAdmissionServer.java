package io.egressgateway.testbed.apiserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tiny admission webhook over real HTTPS on 127.0.0.1 with a fresh self-signed certificate:
 * {@code /mutate} fills {@code spec.size: 1} when missing (JSONPatch), {@code /validate} refuses
 * {@code spec.color: black} with a message naming the field. Records every review it got.
 */
final class FakeAdmissionServer implements AutoCloseable {
    final List<JsonNode> reviews = new CopyOnWriteArrayList<>();
    private final HttpsServer server;
    private final String caPem;

    FakeAdmissionServer() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(256);
        KeyPair kp = kpg.generateKeyPair();
        X500Name name = new X500Name("CN=fake-admission");
        long now = System.currentTimeMillis();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now), new Date(now - 60_000),
                new Date(now + 3_600_000), name, kp.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        caPem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", kp.getPrivate(), new char[0], new java.security.cert.Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/mutate", ex -> answer(ex, true));
        server.createContext("/validate", ex -> answer(ex, false));
        server.start();
    }

    String caPem() {
        return caPem;
    }

    String endpoint() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange ex, boolean mutate) throws IOException {
        JsonNode review = Json.parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        reviews.add(review);
        JsonNode req = review.path("request");
        ObjectNode out = Json.MAPPER.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
                .put("kind", "AdmissionReview");
        ObjectNode resp = out.putObject("response").put("uid", req.path("uid").asString());
        JsonNode spec = req.path("object").path("spec");
        if (mutate) {
            resp.put("allowed", true);
            if (!req.path("object").isMissingNode() && !req.path("object").isNull() && !spec.has("size")) {
                String patch = "[{\"op\":\"add\",\"path\":\"/spec/size\",\"value\":1}]";
                resp.put("patchType", "JSONPatch")
                        .put("patch", Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
            }
        } else if ("black".equals(spec.path("color").asString(""))) {
            resp.put("allowed", false);
            resp.putObject("result").put("code", 422).put("reason", "Invalid")
                    .put("message", "spec.color: value \"black\" is not allowed");
        } else {
            resp.put("allowed", true);
            resp.putArray("warnings").add("spec.color " + spec.path("color").asString("<none>") + " is fine");
        }
        byte[] body = Json.write(out).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
