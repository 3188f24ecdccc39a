package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.egressgateway.application.port.out.RecordEventPort;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * core/v1 Events about cluster-scoped objects, in namespace {@code default} (where kubectl describe
 * looks for events of cluster-scoped objects). Best effort: failures are logged, never thrown.
 */
final class KubernetesEventsAdapter implements RecordEventPort {
    static final String EVENT_NAMESPACE = "default";
    static final String COMPONENT = "egressgateway-controller";
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventsAdapter.class);
    private final KubernetesClient client;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();

    KubernetesEventsAdapter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public void record(String kind, String name, Type type, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String eventName = name + "." + Long.toHexString(clock.millis()) + String.format(Locale.ROOT, "%04x",
                seq.incrementAndGet() & 0xffff);
        try {
            client.v1().events().inNamespace(EVENT_NAMESPACE).resource(new EventBuilder()
                    .withNewMetadata().withName(eventName).withNamespace(EVENT_NAMESPACE).endMetadata()
                    .withNewInvolvedObject().withApiVersion(Crds.GROUP + "/" + Crds.VERSION).withKind(kind)
                    .withName(name).endInvolvedObject()
                    .withType(type.name()).withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.warn("event not recorded kind={} name={} reason={}: {}", kind, name, reason, e.toString());
        }
    }
}
