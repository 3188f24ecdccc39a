package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.out.PublishCaBundlePort;
import io.egressgateway.application.port.out.StoreWebhookCaPort;
import io.egressgateway.application.port.out.StoreWebhookCaPort.StoredCa;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Rotation decisions on a clock the test moves: re-issue before expiry, publish a new CA before serving it. */
class ServingCertificatesTest {
    private static final Duration VALIDITY = Duration.ofDays(30);
    private static final Duration RENEW = Duration.ofDays(3);

    private Instant now = Instant.parse("2030-01-01T00:00:00Z");
    private final List<String> published = new ArrayList<>();
    private final AtomicBoolean publisherDown = new AtomicBoolean();

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private ServingCertificates certs() throws Exception {
        return certs(null);
    }

    private ServingCertificates certs(StoreWebhookCaPort store) throws Exception {
        PublishCaBundlePort port = pem -> {
            if (publisherDown.get()) {
                throw new IllegalStateException("API server unreachable");
            }
            published.add(pem);
        };
        ServingCertificates c = new ServingCertificates(new WebhookConfig.Tls(WebhookConfig.Tls.Mode.SELF_SIGNED,
                List.of("egw-webhook.egressgateway.svc", "10.96.0.10"), null, null, null, VALIDITY, RENEW,
                Duration.ofMinutes(10)), port, store, clock);
        c.init();
        return c;
    }

    private static List<X509Certificate> parse(String pem) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        for (var c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    @Test
    void the_first_certificate_is_signed_by_the_published_ca_and_names_the_service() throws Exception {
        ServingCertificates c = certs();

        assertThat(published).hasSize(1);
        X509Certificate ca = parse(published.get(0)).get(0);
        c.served().verify(ca.getPublicKey());
        assertThat(c.served().getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1))
                .containsExactly((Object) "egw-webhook.egressgateway.svc", "10.96.0.10");
        assertThat(c.notAfter()).isEqualTo(now.plus(VALIDITY));
    }

    @Test
    void nothing_changes_until_the_renewal_window() throws Exception {
        ServingCertificates c = certs();
        X509Certificate first = c.served();
        now = now.plus(VALIDITY).minus(RENEW).minusSeconds(1);

        c.refresh();

        assertThat(c.served()).isSameAs(first);
        assertThat(published).hasSize(1);
    }

    @Test
    void the_certificate_is_reissued_by_the_same_ca_inside_the_renewal_window() throws Exception {
        ServingCertificates c = certs();
        X509Certificate first = c.served();
        var firstContext = c.current();
        now = now.plus(VALIDITY).minus(RENEW).plusSeconds(1);

        c.refresh();

        assertThat(c.served().getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(c.current()).isNotSameAs(firstContext);
        c.served().verify(parse(published.get(0)).get(0).getPublicKey());
        assertThat(published).as("same CA, nothing to publish").hasSize(1);
    }

    @Test
    void a_new_ca_is_published_with_the_old_one_before_its_certificate_is_served() throws Exception {
        ServingCertificates c = certs();
        X509Certificate oldCa = parse(published.get(0)).get(0);
        var oldContext = c.current();
        now = now.plus(VALIDITY.multipliedBy(10)).minus(RENEW.multipliedBy(10)).plusSeconds(1);

        publisherDown.set(true);
        c.refresh();
        assertThat(c.current()).as("not served before the API server trusts it").isSameAs(oldContext);

        publisherDown.set(false);
        c.refresh();
        assertThat(published).hasSize(2);
        List<X509Certificate> bundle = parse(published.get(1));
        assertThat(bundle).hasSize(2).contains(oldCa);
        c.served().verify(bundle.get(0).getPublicKey());
        assertThat(c.current()).isNotSameAs(oldContext);
    }

    /** The Secret's semantics in memory: first writer wins, replace only over the expected CA. */
    private static final class MemoryStore implements StoreWebhookCaPort {
        final AtomicReference<StoredCa> stored = new AtomicReference<>();
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public StoredCa loadOrStore(StoredCa candidate) {
            if (down.get()) {
                throw new IllegalStateException("API server unreachable");
            }
            stored.compareAndSet(null, candidate);
            return stored.get();
        }

        @Override
        public StoredCa replace(StoredCa expected, StoredCa next) {
            stored.compareAndSet(expected, next);
            return stored.get();
        }
    }

    @Test
    void a_restart_serves_from_the_ca_kept_in_the_cluster() throws Exception {
        MemoryStore store = new MemoryStore();
        ServingCertificates first = certs(store);
        ServingCertificates second = certs(store); // the next start, or a second replica

        assertThat(published).hasSize(2);
        assertThat(published.get(1)).as("the API server's trusted bundle does not change").isEqualTo(published.get(0));
        X509Certificate ca = parse(published.get(0)).get(0);
        first.served().verify(ca.getPublicKey());
        second.served().verify(ca.getPublicKey());
        assertThat(second.served().getSerialNumber()).isNotEqualTo(first.served().getSerialNumber());
        assertThat(parse(store.stored.get().certificatePem())).containsExactly(ca);
    }

    @Test
    void a_stored_ca_due_for_renewal_is_replaced_at_start() throws Exception {
        MemoryStore store = new MemoryStore();
        certs(store);
        StoredCa old = store.stored.get();
        now = now.plus(VALIDITY.multipliedBy(10)).minus(RENEW.multipliedBy(10)).plusSeconds(1);

        ServingCertificates later = certs(store);

        assertThat(store.stored.get()).isNotEqualTo(old);
        X509Certificate ca = parse(store.stored.get().certificatePem()).get(0);
        later.served().verify(ca.getPublicKey());
        assertThat(parse(published.get(published.size() - 1)).get(0)).isEqualTo(ca);
    }

    @Test
    void an_unreachable_store_means_a_ca_of_this_process_not_a_failed_start() throws Exception {
        MemoryStore store = new MemoryStore();
        store.down.set(true);

        ServingCertificates c = certs(store);

        assertThat(store.stored.get()).isNull();
        c.served().verify(parse(published.get(0)).get(0).getPublicKey());
    }
}
