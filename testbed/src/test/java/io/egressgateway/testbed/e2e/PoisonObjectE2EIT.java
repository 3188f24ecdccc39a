package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: objects that bypassed admission stop nothing. With the webhooks out of the way and the
 * CRD schemas loosened (as after an upgrade from an older, looser CRD), the test stores a policy
 * whose selector operator is {@code in}, one with {@code destCIDR: 10.0.0.0/33}, a gateway whose pool
 * is {@code 0.0.0.0/0}, and an EgressNode with a non-IP underlay address, next to the healthy example
 * gateway and policy; then it restores the strict schemas and the webhooks. The healthy pod keeps
 * leaving with its EIP the whole time, every agent keeps renewing its Lease, each bad object shows a
 * condition naming its field, and deleting the bad objects (through admission again) or letting the
 * agent rewrite its own status fixes everything without a restart of the controller.
 */
class PoisonObjectE2EIT extends ShopPolicyE2E {
    private static final List<String> CRDS = List.of("egressgatewaypolicies.egressgateway.spidernet.io",
            "egressgateways.egressgateway.spidernet.io", "egressnodes.egressgateway.spidernet.io");
    private static final List<String> WEBHOOKS = List.of("egressgateway-validating", "egressgateway-mutating");
    private static final ResourceDefinitionContext CRD = new ResourceDefinitionContext.Builder()
            .withGroup("apiextensions.k8s.io").withVersion("v1").withKind("CustomResourceDefinition")
            .withPlural("customresourcedefinitions").withNamespaced(false).build();


    @Test
    void badObjectsAreSkippedWithAConditionAndFixedWithoutARestart() {
        eventuallySeen("shop-1", eip);
        Map<String, Object> renewed = renewTimes();

        List<GenericKubernetesResource> webhooks = removeWebhooks();
        Map<String, GenericKubernetesResource> strict = loosenCrds();
        try {
            resources.create(policy("bad-op", """
                    podSelector:
                        matchExpressions:
                        - {key: app, operator: in, values: [shopping]}""", "[192.0.2.100/32]"));
            resources.create(policy("bad-cidr", """
                    podSelector:
                        matchLabels: {app: shopping}""", "[10.0.0.0/33]"));
            resources.create("""
                    apiVersion: egressgateway.spidernet.io/v1
                    kind: EgressGateway
                    metadata:
                      name: wide
                    spec:
                      nodeSelector:
                        matchLabels: {egress: "true"}
                      ippools:
                        ipv4: ["0.0.0.0/0"]
                    """);
        } finally {
            restoreCrds(strict);
        }
        // node1's own agent would rewrite its underlay address at once: write it while that agent is
        // stopped (the kernel keeps its datapath, so shop-1's traffic is not affected)
        cluster.stopAgent("node1");
        breakUnderlayAddress("node1");
        restoreWebhooks(webhooks);

        awaitCondition("EgressGatewayPolicy", "bad-op", "InvalidSpec", "operator", "\"in\"");
        awaitCondition("EgressGatewayPolicy", "bad-cidr", "InvalidSpec", "spec.destCIDR[0]", "10.0.0.0/33");
        awaitCondition("EgressGateway", "wide", "InvalidSpec", "spec.ippools.ipv4[0]", "0.0.0.0/0");
        awaitCondition("EgressNode", "node1", "InvalidStatus", "status.physicalInterfaceIPv4", "not-an-ip");
        keepsLeavingWithTheEip(Duration.ofSeconds(10));
        for (String node : List.of("node2", "node3")) {
            Waits.until("node " + node + " to keep renewing its Lease", DEADLINE,
                    () -> !Objects.equals(renewed.get(node), renewTime(node)));
        }

        // Fixing: deletes go through admission again (a malformed stored object must not block them),
        // and node1's agent, started again, rewrites its own fields.
        resources.delete("EgressGatewayPolicy", "bad-op");
        resources.delete("EgressGatewayPolicy", "bad-cidr");
        resources.delete("EgressGateway", "wide");
        cluster.startAgent("node1");
        Waits.until("node1's InvalidStatus condition to clear", DEADLINE,
                () -> conditions("EgressNode", "node1").stream().noneMatch(c -> "InvalidStatus".equals(c.get("type"))
                        && "True".equals(c.get("status"))));
        Waits.until("the bad objects to be gone", DEADLINE, () -> resources.get("EgressGateway", "wide") == null
                && resources.get("EgressGatewayPolicy", "bad-op") == null);
        keepsLeavingWithTheEip(Duration.ofSeconds(5));
        assertThat(renewTime("node1")).isNotNull();
    }

    private static String policy(String name, String appliedTo, String dest) {
        return """
                apiVersion: egressgateway.spidernet.io/v1
                kind: EgressGatewayPolicy
                metadata:
                  name: %s
                spec:
                  egressGatewayName: default
                  appliedTo:
                    %s
                  destCIDR: %s
                  egressIP: {mode: EgressIP, allocatorPolicy: default}
                """.formatted(name, appliedTo.replace("\n", "\n    "), dest);
    }

    /** Every sampled new connection of shop-1 leaves with the EIP for {@code d} (each sample is a round trip). */
    private void keepsLeavingWithTheEip(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        int samples = 0;
        while (System.nanoTime() < end || samples < 3) {
            assertThat(seenFrom("shop-1", testbed.externalAddress())).as("sample %d", samples).isEqualTo(eip);
            samples++;
        }
    }

    private Map<String, Object> renewTimes() {
        Map<String, Object> out = new HashMap<>();
        testbed.nodeNames().forEach(n -> out.put(n, renewTime(n)));
        return out;
    }

    private Object renewTime(String node) {
        Lease lease = testbed.client().leases().inNamespace("egressgateway").withName("egress-node-" + node).get();
        return lease == null ? null : lease.getSpec().getRenewTime();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> conditions(String kind, String name) {
        GenericKubernetesResource r = resources.get(kind, name);
        Object c = r == null ? null : Resources.status(r, "conditions");
        return c instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private void awaitCondition(String kind, String name, String type, String... words) {
        Waits.until(kind + " " + name + " to have condition " + type + " naming " + List.of(words), DEADLINE, () -> {
            for (Map<String, Object> c : conditions(kind, name)) {
                String msg = String.valueOf(c.get("message"));
                if (type.equals(c.get("type")) && "True".equals(c.get("status"))
                        && List.of(words).stream().allMatch(msg::contains)) {
                    return true;
                }
            }
            throw new IllegalArgumentException("conditions: " + conditions(kind, name));
        });
    }

    @SuppressWarnings("unchecked")
    private void breakUnderlayAddress(String node) {
        var client = testbed.client().genericKubernetesResources(Resources.kind("EgressNode"));
        GenericKubernetesResource n = client.withName(node).get();
        ((Map<String, Object>) n.getAdditionalProperties().get("status")).put("physicalInterfaceIPv4", "not-an-ip");
        client.resource(n).updateStatus();
    }

    private List<GenericKubernetesResource> removeWebhooks() {
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (String kind : List.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")) {
            var ctx = webhookKind(kind);
            for (String name : WEBHOOKS) {
                GenericKubernetesResource w = testbed.client().genericKubernetesResources(ctx).withName(name).get();
                if (w != null) {
                    out.add(w);
                    testbed.client().genericKubernetesResources(ctx).withName(name).delete();
                }
            }
        }
        return out;
    }

    private void restoreWebhooks(List<GenericKubernetesResource> saved) {
        for (GenericKubernetesResource w : saved) {
            w.getMetadata().setResourceVersion(null);
            w.getMetadata().setUid(null);
            w.getMetadata().setCreationTimestamp(null);
            w.getMetadata().setManagedFields(null);
            testbed.client().genericKubernetesResources(webhookKind(w.getKind())).resource(w).create();
        }
    }

    private static ResourceDefinitionContext webhookKind(String kind) {
        return new ResourceDefinitionContext.Builder().withGroup("admissionregistration.k8s.io").withVersion("v1")
                .withKind(kind).withPlural(kind.toLowerCase() + "s").withNamespaced(false).build();
    }

    /** The CRDs with every enum, pattern, bound and CEL rule removed; returns the strict originals. */
    private Map<String, GenericKubernetesResource> loosenCrds() {
        Map<String, GenericKubernetesResource> strict = new HashMap<>();
        for (String name : CRDS) {
            var crds = testbed.client().genericKubernetesResources(CRD);
            strict.put(name, crds.withName(name).get());
            GenericKubernetesResource loose = crds.withName(name).get();
            loose.getAdditionalProperties().put("spec", strip(loose.getAdditionalProperties().get("spec")));
            crds.resource(loose).update();
        }
        return strict;
    }

    private void restoreCrds(Map<String, GenericKubernetesResource> strict) {
        var crds = testbed.client().genericKubernetesResources(CRD);
        strict.forEach((name, original) -> {
            GenericKubernetesResource now = crds.withName(name).get();
            now.getAdditionalProperties().put("spec", original.getAdditionalProperties().get("spec"));
            crds.resource(now).update();
        });
    }

    @SuppressWarnings("unchecked")
    private static Object strip(Object node) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new HashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> {
                if (!List.of("enum", "pattern", "x-kubernetes-validations", "maxLength", "maxItems", "minLength",
                        "minItems", "maximum", "minimum", "format").contains(k)) {
                    out.put(k, strip(v));
                }
            });
            return out;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(PoisonObjectE2EIT::strip).toList();
        }
        return node;
    }
}
