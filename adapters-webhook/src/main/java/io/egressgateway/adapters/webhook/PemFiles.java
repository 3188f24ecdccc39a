package io.egressgateway.adapters.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads a mounted Secret's PEM files. Keys come as PKCS#8 ({@code PRIVATE KEY}), SEC1
 * ({@code EC PRIVATE KEY}, cert-manager's default for ECDSA) or PKCS#1 ({@code RSA PRIVATE KEY});
 * Netty alone reads only the first, so BouncyCastle parses them all.
 */
final class PemFiles {
    private PemFiles() {
    }

    static PrivateKey privateKey(byte[] pem, String what) throws GeneralSecurityException {
        try (PEMParser p = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            for (Object o; (o = p.readObject()) != null; ) {
                JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
                if (o instanceof PrivateKeyInfo info) {
                    return conv.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return conv.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 may omit the public key
                }
            }
        } catch (IOException e) {
            throw new GeneralSecurityException(what + " is not a readable PEM file: " + e.getMessage(), e);
        }
        throw new GeneralSecurityException(what + " holds no unencrypted private key (PKCS#8, SEC1 or PKCS#1 PEM)");
    }

    static X509Certificate[] certificates(byte[] pem, String what) throws GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(what + " holds no certificate");
        }
        return out.toArray(new X509Certificate[0]);
    }
}
