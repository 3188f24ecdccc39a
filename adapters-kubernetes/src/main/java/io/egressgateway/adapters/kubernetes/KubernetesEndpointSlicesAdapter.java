package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.Crds;
import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.mapping.CrMapping;
import io.egressgateway.application.port.out.UpdateEndpointSlicesPort;
import io.egressgateway.domain.model.Endpoint;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.util.List;

/**
 * Writes EgressEndpointSlices: {@code <policy>-<5 chars>}, labelled with the policy, owned by it
 * (controller: true, so the garbage collector deletes them with the policy).
 */
final class KubernetesEndpointSlicesAdapter implements UpdateEndpointSlicesPort {
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private final KubernetesClient client;
    private final SecureRandom random = new SecureRandom();
    private final CacheFirst<EgressEndpointSlice> cached;

    KubernetesEndpointSlicesAdapter(KubernetesClient client) {
        this(client, name -> null);
    }

    /** {@code cache}: the controller's informer copy of a slice by name (a write then needs no GET first). */
    KubernetesEndpointSlicesAdapter(KubernetesClient client, java.util.function.Function<String, EgressEndpointSlice> cache) {
        this.client = client;
        this.cached = new CacheFirst<>(cache, client.getKubernetesSerialization());
    }

    @Override
    public String create(String policy, List<Endpoint> endpoints) {
        EgressGatewayPolicy owner = client.resources(EgressGatewayPolicy.class).withName(policy).get();
        if (owner == null) {
            return null;
        }
        for (int attempt = 0; attempt < Conflicts.ATTEMPTS; attempt++) {
            String name = truncate(policy) + "-" + suffix();
            EgressEndpointSlice s = new EgressEndpointSlice();
            s.setMetadata(new ObjectMetaBuilder().withName(name).addToLabels(Crds.POLICY_LABEL, policy)
                    .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
                            .withKind(owner.getKind()).withName(policy).withUid(owner.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                    .build());
            s.endpoints = CrMapping.endpoints(endpoints);
            try {
                client.resources(EgressEndpointSlice.class).resource(s).create();
                return name;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("no free slice name for policy " + policy + " after " + Conflicts.ATTEMPTS
                + " tries");
    }

    @Override
    public boolean update(String slice, List<Endpoint> endpoints) {
        var want = CrMapping.endpoints(endpoints);
        String wantJson = client.getKubernetesSerialization().asJson(want);
        EgressEndpointSlice base = cached.base(slice);
        String cachedRv = base == null ? null : CacheFirst.rv(base);
        if (base != null) {
            if (wantJson.equals(client.getKubernetesSerialization().asJson(base.endpoints))) {
                return false;
            }
            base.endpoints = want;
            try {
                cached.wrote(slice, client.resources(EgressEndpointSlice.class).resource(base).update(), cachedRv);
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && !Conflicts.isNotFound(e)) {
                    throw e;
                }
                cached.forget(slice); // changed or gone since: start over from a re-read
            }
        }
        return Conflicts.retry("slice " + slice, () -> {
            EgressEndpointSlice current = client.resources(EgressEndpointSlice.class).withName(slice).get();
            if (current == null) {
                return false;
            }
            if (wantJson.equals(client.getKubernetesSerialization().asJson(current.endpoints))) {
                return false;
            }
            String basedOn = CacheFirst.rv(current);
            current.endpoints = want;
            cached.wrote(slice, client.resources(EgressEndpointSlice.class).resource(current).update(), basedOn, cachedRv);
            return true;
        });
    }

    @Override
    public boolean delete(String slice) {
        cached.forget(slice);
        return !client.resources(EgressEndpointSlice.class).withName(slice).delete().isEmpty();
    }

    private String suffix() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Object names are at most 253 characters; leave room for the suffix. */
    private static String truncate(String policy) {
        return policy.length() > 240 ? policy.substring(0, 240) : policy;
    }
}
