package io.egressgateway.adapters.webhook;

import io.egressgateway.application.port.out.PublishCaBundlePort;
import io.egressgateway.application.port.out.StoreWebhookCaPort;
import io.egressgateway.application.port.out.StoreWebhookCaPort.StoredCa;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission listener's current {@link SslContext}, swapped in place: new connections pick up a
 * re-issued or re-mounted certificate while open ones finish with the old. The CA bundle is published
 * before a certificate from a new CA is served, so the API server never sees an untrusted one; while
 * the CA changes both old and new CA are published. With a {@link StoreWebhookCaPort} the CA is the
 * one kept in the cluster (created by the first replica to start), so a restart or a rolling update
 * keeps serving from the CA the API server already trusts; if the store cannot be reached, this
 * process uses a CA of its own and says so.
 */
final class ServingCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(ServingCertificates.class);

    private final WebhookConfig.Tls tls;
    private final PublishCaBundlePort publisher;
    private final StoreWebhookCaPort store;
    private final Clock clock;
    private volatile SslContext context;
    private volatile String caBundle = "";
    private volatile Instant notAfter = Instant.MAX;
    private volatile java.security.cert.X509Certificate served;
    private SelfSignedCertificates.Issued ca;
    private byte[] filesDigest = new byte[0];
    private String published;

    ServingCertificates(WebhookConfig.Tls tls, PublishCaBundlePort publisher, Clock clock) {
        this(tls, publisher, null, clock);
    }

    /** {@code store} may be null: a fresh CA per process, as before the Secret existed. */
    ServingCertificates(WebhookConfig.Tls tls, PublishCaBundlePort publisher, StoreWebhookCaPort store, Clock clock) {
        this.tls = tls;
        this.publisher = publisher;
        this.store = store;
        this.clock = clock;
    }

    /** Loads or issues the first certificate; throws when FILES are unreadable. */
    synchronized void init() throws Exception {
        if (tls.mode() == WebhookConfig.Tls.Mode.FILES) {
            loadFiles();
            publish();
        } else {
            issue(true);
        }
    }

    SslContext current() {
        return context;
    }

    String caBundlePem() {
        return caBundle;
    }

    Instant notAfter() {
        return notAfter;
    }

    /** The self-signed certificate being served (null in FILES mode). */
    java.security.cert.X509Certificate served() {
        return served;
    }

    /** Called every checkInterval; never throws (a failure keeps the current certificate and retries). */
    synchronized void refresh() {
        try {
            if (tls.mode() == WebhookConfig.Tls.Mode.FILES) {
                loadFiles();
            } else if (!clock.instant().isBefore(notAfter.minus(tls.renewBefore()))) {
                issue(caRenewalDue(ca, clock.instant()));
            }
            publish();
        } catch (Exception e) {
            LOG.warn("webhook certificate refresh failed, keeping the current one (notAfter={}): {}", notAfter,
                    e.toString());
        }
    }

    private void issue(boolean newCa) throws Exception {
        Instant now = clock.instant();
        if (newCa) {
            String previousCa = ca == null ? "" : SelfSignedCertificates.pem(ca.certificate());
            ca = nextCa(now);
            String currentCa = SelfSignedCertificates.pem(ca.certificate());
            // the old CA stays in the bundle: connections and caches may still hold its certificate
            caBundle = currentCa + (previousCa.equals(currentCa) ? "" : previousCa);
        }
        SelfSignedCertificates.Issued leaf = SelfSignedCertificates.newServing(ca, tls.dnsNames(), now, tls.validity());
        publish();
        if (context != null && !caBundle.equals(published)) {
            // keep serving the old certificate until the API server trusts the CA of the new one
            throw new IllegalStateException("the CA bundle could not be published yet");
        }
        context = SslContextBuilder.forServer(leaf.key(), leaf.certificate()).sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2").build();
        notAfter = leaf.notAfter();
        served = leaf.certificate();
        LOG.info("webhook serving certificate issued names={} serial={} notAfter={} newCa={}", tls.dnsNames(),
                leaf.certificate().getSerialNumber().toString(16), notAfter, newCa);
    }

    private boolean caRenewalDue(SelfSignedCertificates.Issued authority, Instant now) {
        return !now.isBefore(authority.notAfter().minus(tls.renewBefore().multipliedBy(10)));
    }

    /** The CA to issue from: the stored one (stored first if none is), or a replacement when it is due. */
    private SelfSignedCertificates.Issued nextCa(Instant now) throws Exception {
        SelfSignedCertificates.Issued fresh = SelfSignedCertificates.newCa("egressgateway-webhook-ca", now,
                tls.validity().multipliedBy(10));
        if (store == null) {
            return fresh;
        }
        try {
            StoredCa candidate = stored(fresh);
            StoredCa got = ca == null ? store.loadOrStore(candidate) : store.replace(stored(ca), candidate);
            SelfSignedCertificates.Issued chosen = parse(got);
            if (caRenewalDue(chosen, now)) {
                chosen = parse(store.replace(got, candidate));
            }
            LOG.info("webhook CA from the cluster store subject={} serial={} notAfter={} stored={}",
                    chosen.certificate().getSubjectX500Principal().getName(),
                    chosen.certificate().getSerialNumber().toString(16), chosen.notAfter(), got.equals(candidate));
            return chosen;
        } catch (Exception e) {
            LOG.warn("webhook CA store not usable, using a CA of this process only (a restart changes it): {}",
                    e.toString());
            return fresh;
        }
    }

    private static StoredCa stored(SelfSignedCertificates.Issued ca) {
        return new StoredCa(SelfSignedCertificates.pem(ca.certificate()), SelfSignedCertificates.pkcs8Pem(ca.key()));
    }

    private static SelfSignedCertificates.Issued parse(StoredCa ca) throws java.security.GeneralSecurityException {
        byte[] cert = ca.certificatePem().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] key = ca.privateKeyPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new SelfSignedCertificates.Issued(PemFiles.certificates(cert, "stored webhook CA")[0],
                PemFiles.privateKey(key, "stored webhook CA key"));
    }

    private void loadFiles() throws Exception {
        byte[] cert = Files.readAllBytes(tls.certFile());
        byte[] key = Files.readAllBytes(tls.keyFile());
        byte[] caBytes = tls.caFile() == null ? new byte[0] : Files.readAllBytes(tls.caFile());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(cert);
        md.update(key);
        md.update(caBytes);
        byte[] digest = md.digest();
        if (Arrays.equals(digest, filesDigest)) {
            return;
        }
        SslContext fresh = SslContextBuilder.forServer(PemFiles.privateKey(key, tls.keyFile().toString()),
                        PemFiles.certificates(cert, tls.certFile().toString()))
                .sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2").build();
        caBundle = new String(caBytes, java.nio.charset.StandardCharsets.US_ASCII);
        context = fresh;
        filesDigest = digest;
        notAfter = Instant.MAX;
        LOG.info("webhook serving certificate loaded cert={} key={}", tls.certFile(), tls.keyFile());
    }

    private void publish() {
        if (caBundle.isEmpty() || caBundle.equals(published)) {
            return;
        }
        try {
            publisher.publish(caBundle);
            published = caBundle;
            LOG.info("webhook CA bundle published bytes={}", caBundle.length());
        } catch (Exception e) {
            LOG.warn("webhook CA bundle not published, retrying in {}: {}", tls.checkInterval(), e.toString());
        }
    }

    Duration checkInterval() {
        return tls.checkInterval();
    }
}
