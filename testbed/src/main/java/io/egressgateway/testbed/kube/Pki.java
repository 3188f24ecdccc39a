package io.egressgateway.testbed.kube;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The control plane's own PKI, made fresh for every run: a CA, kube-apiserver's serving certificate
 * signed by it (valid for 127.0.0.1, localhost and the in-cluster names of the {@code kubernetes}
 * Service), and the service-account signing key. Everything is written as PEM into one directory,
 * readable by root only; it lives and dies with the run.
 */
public final class Pki {
    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final String caPem;

    private Pki(Path dir, String caPem) {
        this.dir = dir;
        this.caPem = caPem;
    }

    /** Creates the CA, the serving certificate ({@code extraIps} added to its names) and the SA key in {@code dir}. */
    public static Pki create(Path dir, List<String> extraIps) {
        try {
            Files.createDirectories(dir);
            KeyPair ca = rsa();
            X500Name caName = new X500Name("CN=egressgateway-testbed-ca");
            X509Certificate caCert = build(caName, ca.getPublic(), caName, ca.getPrivate(), true, List.of());
            write(dir.resolve("ca.crt"), pem(caCert));
            write(dir.resolve("ca.key"), pem(ca.getPrivate()));

            KeyPair serving = rsa();
            List<GeneralName> names = new ArrayList<>(List.of(
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.dNSName, "kubernetes"),
                    new GeneralName(GeneralName.dNSName, "kubernetes.default"),
                    new GeneralName(GeneralName.dNSName, "kubernetes.default.svc"),
                    new GeneralName(GeneralName.dNSName, "kubernetes.default.svc.cluster.local")));
            extraIps.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            X509Certificate servingCert = build(new X500Name("CN=kube-apiserver"), serving.getPublic(), caName,
                    ca.getPrivate(), false, names);
            write(dir.resolve("apiserver.crt"), pem(servingCert));
            write(dir.resolve("apiserver.key"), pem(serving.getPrivate()));

            write(dir.resolve("service-account.key"), pem(rsa().getPrivate()));
            return new Pki(dir, pem(caCert));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the control plane's PKI into " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the control plane's PKI: " + e, e);
        }
    }

    /** The CA certificate, PEM. */
    public String caPem() {
        return caPem;
    }

    public Path caFile() {
        return dir.resolve("ca.crt");
    }

    public Path servingCert() {
        return dir.resolve("apiserver.crt");
    }

    public Path servingKey() {
        return dir.resolve("apiserver.key");
    }

    /** kube-apiserver signs and verifies service-account tokens with this one RSA key. */
    public Path serviceAccountKey() {
        return dir.resolve("service-account.key");
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate build(X500Name subject, java.security.PublicKey publicKey, X500Name issuer,
            PrivateKey signer, boolean isCa, List<GeneralName> names)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(96, RANDOM),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, publicKey);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                    | KeyUsage.digitalSignature));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        }
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
    }

    private static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        }
        return s.toString();
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the run directory is root's anyway
        }
    }
}
