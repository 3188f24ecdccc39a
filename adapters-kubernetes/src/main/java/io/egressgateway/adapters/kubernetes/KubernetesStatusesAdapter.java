package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.mapping.CrMapping;
import io.egressgateway.application.port.out.UpdateStatusesPort;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.PolicyStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Controller-owned statuses: re-read, compare as JSON (the reconciler keeps transition times, so equal
 * meaning gives equal text), write only when different, start over on 409.
 */
final class KubernetesStatusesAdapter implements UpdateStatusesPort {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesStatusesAdapter.class);
    private final KubernetesClient client;
    private final CacheFirst<EgressGatewayPolicy> policies;

    KubernetesStatusesAdapter(KubernetesClient client) {
        this(client, name -> null);
    }

    /** {@code policyCache}: the controller's informer copy of a policy by name (a write then needs no GET first). */
    KubernetesStatusesAdapter(KubernetesClient client, Function<String, EgressGatewayPolicy> policyCache) {
        this.client = client;
        this.policies = new CacheFirst<>(policyCache, client.getKubernetesSerialization());
    }

    @Override
    public boolean gatewayStatus(String gateway, GatewayStatus status) {
        return write(EgressGateway.class, gateway, CrMapping.gatewayStatus(status), EgressGateway::getStatus,
                EgressGateway::setStatus);
    }

    @Override
    public boolean policyStatus(String policy, PolicyStatus status) {
        var desired = CrMapping.policyStatus(status);
        EgressGatewayPolicy base = policies.base(policy);
        String cachedRv = base == null ? null : CacheFirst.rv(base);
        if (base != null) {
            String want = client.getKubernetesSerialization().asJson(desired);
            if (base.getStatus() != null && want.equals(client.getKubernetesSerialization().asJson(base.getStatus()))) {
                return false;
            }
            base.setStatus(desired);
            try {
                policies.wrote(policy, client.resources(EgressGatewayPolicy.class).resource(base).updateStatus(), cachedRv);
                return true;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 && !Conflicts.isNotFound(e)) {
                    throw e;
                }
                policies.forget(policy); // changed or gone since: start over from a re-read
            }
        }
        return writeOf(EgressGatewayPolicy.class, policy, current -> desired, EgressGatewayPolicy::getStatus,
                EgressGatewayPolicy::setStatus, (basedOn, result) -> policies.wrote(policy, result, basedOn, cachedRv));
    }

    @Override
    public boolean clusterInfo(ClusterInfo info, List<Condition> conditions) {
        if (client.resources(EgressClusterInfo.class).withName(EgressClusterInfo.DEFAULT_NAME).get() == null) {
            EgressClusterInfo ci = new EgressClusterInfo();
            ci.setMetadata(new ObjectMetaBuilder().withName(EgressClusterInfo.DEFAULT_NAME).build());
            try {
                client.resources(EgressClusterInfo.class).resource(ci).create();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        // the controller decides the condition without the object at hand: its observedGeneration is
        // the object's generation, and its lastTransitionTime stays while its status does not flip
        return writeOf(EgressClusterInfo.class, EgressClusterInfo.DEFAULT_NAME, current -> CrMapping.clusterInfoStatus(info,
                stamped(conditions, current.getMetadata().getGeneration(), current.getStatus() == null ? null
                        : current.getStatus().conditions)), EgressClusterInfo::getStatus, EgressClusterInfo::setStatus);
    }

    static List<Condition> stamped(List<Condition> conditions, Long generation,
                                   List<io.fabric8.kubernetes.api.model.Condition> existing) {
        List<Condition> had = io.egressgateway.adapters.kubernetes.mapping.Values.conditions(existing);
        return conditions.stream().map(c -> {
            java.time.Instant since = had.stream().filter(h -> h.type().equals(c.type()) && h.status() == c.status()
                    && h.lastTransitionTime() != null).map(Condition::lastTransitionTime).findFirst()
                    .orElse(c.lastTransitionTime());
            return new Condition(c.type(), c.status(), c.reason(), c.message(), generation == null ? 0 : generation, since);
        }).toList();
    }

    private <T extends CustomResource<?, S>, S> boolean write(Class<T> type, String name, S desired,
                                                             Function<T, S> get, BiConsumer<T, S> set) {
        return writeOf(type, name, current -> desired, get, set, (basedOn, result) -> { });
    }

    private <T extends CustomResource<?, S>, S> boolean writeOf(Class<T> type, String name, Function<T, S> desiredOf,
                                                             Function<T, S> get, BiConsumer<T, S> set) {
        return writeOf(type, name, desiredOf, get, set, (basedOn, result) -> { });
    }

    /** {@code written} learns the resourceVersion a write was based on and what it returned. */
    private <T extends CustomResource<?, S>, S> boolean writeOf(Class<T> type, String name, Function<T, S> desiredOf,
                                                             Function<T, S> get, BiConsumer<T, S> set,
                                                             BiConsumer<String, T> written) {
        return Conflicts.retry(type.getSimpleName() + " " + name, () -> {
            T current = client.resources(type).withName(name).get();
            if (current == null) {
                return false;
            }
            S desired = desiredOf.apply(current);
            String want = client.getKubernetesSerialization().asJson(desired);
            S had = get.apply(current);
            if (had != null && want.equals(client.getKubernetesSerialization().asJson(had))) {
                return false;
            }
            String basedOn = current.getMetadata().getResourceVersion();
            set.accept(current, desired);
            written.accept(basedOn, client.resources(type).resource(current).updateStatus());
            LOG.debug("{}={} status written", kind(current), name);
            return true;
        });
    }

    private static String kind(HasMetadata o) {
        return o.getKind() == null ? o.getClass().getSimpleName() : o.getKind();
    }
}
