package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.application.port.out.RecordEventPort;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * core/v1 Events about cluster-scoped objects, in namespace {@code default} (where Kubernetes keeps
 * events of cluster-scoped objects). {@code kubectl describe} finds events by involvedObject kind,
 * name, namespace and uid, so the object is read first for its uid and resourceVersion. Repeats of an
 * event (same object uid, type, reason, message) are folded into the first one as client-go's
 * EventCorrelator does: count + 1 and a new lastTimestamp, by a merge patch, instead of a new object.
 * Best effort: failures are logged, never thrown.
 */
final class KubernetesEventsAdapter implements RecordEventPort {
    static final String EVENT_NAMESPACE = "default";
    static final String COMPONENT = "egressgateway-controller";
    /** Remembered events for folding repeats; client-go keeps 4096 too. */
    static final int CACHE_SIZE = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventsAdapter.class);
    private static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS = Map.of(
            "EgressGateway", EgressGateway.class, "EgressGatewayPolicy", EgressGatewayPolicy.class,
            "EgressNode", EgressNode.class);
    private final KubernetesClient client;
    private final Clock clock;
    /** Key (uid, type, reason, message) to what was written last; least recently used first. */
    private final Map<String, Recorded> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private record Recorded(String eventName, int count) {
    }

    KubernetesEventsAdapter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public synchronized void record(String kind, String name, Type type, String reason, String message) {
        try {
            HasMetadata about = involved(kind, name);
            if (about == null) {
                LOG.debug("event not recorded kind={} name={} reason={}: object not found", kind, name, reason);
                return;
            }
            String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
            String key = about.getMetadata().getUid() + "\u0000" + type + "\u0000" + reason + "\u0000" + message;
            Recorded seen = recent.get(key);
            if (seen != null && bump(seen, now)) {
                recent.put(key, new Recorded(seen.eventName(), seen.count() + 1));
                return;
            }
            String eventName = create(about, kind, type, reason, message, now);
            recent.put(key, new Recorded(eventName, 1));
        } catch (RuntimeException e) {
            LOG.warn("event not recorded kind={} name={} reason={}: {}", kind, name, reason, e.toString());
        }
    }

    private HasMetadata involved(String kind, String name) {
        Class<? extends CustomResource<?, ?>> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalArgumentException("no events for kind " + kind);
        }
        return client.resources(type).withName(name).get();
    }

    /** False when the event is gone (events expire, an hour by default): the caller creates a new one. */
    private boolean bump(Recorded seen, String now) {
        String patch = "{\"count\":" + (seen.count() + 1) + ",\"lastTimestamp\":\"" + now + "\"}";
        try {
            // resource(...) with the name only: withName(...).patch(...) would GET the event first
            client.v1().events().inNamespace(EVENT_NAMESPACE).resource(new EventBuilder().withNewMetadata()
                    .withName(seen.eventName()).withNamespace(EVENT_NAMESPACE).endMetadata().build())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            return true;
        } catch (KubernetesClientException e) {
            if (Conflicts.isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    private String create(HasMetadata about, String kind, Type type, String reason, String message, String now) {
        // time plus randomness: two controller terms (or replicas) with the same clock never collide
        String name = about.getMetadata().getName();
        String eventName = name.substring(0, Math.min(name.length(), 220)) + "." + Long.toHexString(clock.millis())
                + String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());
        client.v1().events().inNamespace(EVENT_NAMESPACE).resource(new EventBuilder()
                .withNewMetadata().withName(eventName).withNamespace(EVENT_NAMESPACE).endMetadata()
                .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(kind)
                .withName(about.getMetadata().getName()).withUid(about.getMetadata().getUid())
                .withResourceVersion(about.getMetadata().getResourceVersion()).endInvolvedObject()
                .withType(type.name()).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .build()).create();
        return eventName;
    }
}
