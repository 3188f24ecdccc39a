package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.application.config.Settings;
import io.egressgateway.application.controller.ControllerLoop;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.adapters.kubernetes.mapping.ResourceMapping;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A controller term on the mock server, with agents simulated by heartbeat renewals and a moved clock. */
final class ControllerHarness implements AutoCloseable {
    final KubernetesClient client;
    final MockCluster cluster;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final KubernetesAdapters adapters;
    ControllerLoop loop;

    ControllerHarness(KubernetesClient client, Settings settings) {
        this(client, settings, true);
    }

    ControllerHarness(KubernetesClient client, Settings settings, boolean installCrds) {
        this.client = client;
        this.cluster = new MockCluster(client);
        if (installCrds) {
            cluster.installCrds();
        }
        this.adapters = KubernetesAdapters.from(client, settings, clock);
    }

    ControllerHarness start() {
        loop = adapters.controllerTerm();
        loop.start();
        return this;
    }

    void stop() {
        if (loop != null) {
            loop.stop();
            loop = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Agents on these nodes renew their heartbeat now. */
    void heartbeat(String... nodes) {
        for (String n : nodes) {
            if (!adapters.renewHeartbeat().renew(n)) {
                throw new AssertionError("heartbeat of " + n + " not renewed");
            }
        }
    }

    /** Waits until the controller has completed a pass that started after this call. */
    void awaitPass() {
        long target = loop.passes() + 2;
        Await.until("two more controller passes", Await.DEFAULT, () -> loop.passes() >= target, () -> "");
    }

    Policy policy(String name) {
        EgressGatewayPolicy p = client.resources(EgressGatewayPolicy.class).withName(name).get();
        return p == null ? null : ResourceMapping.policy(p);
    }

    Gateway gateway(String name) {
        EgressGateway g = client.resources(EgressGateway.class).withName(name).get();
        return g == null ? null : ResourceMapping.gateway(g);
    }

    io.egressgateway.domain.model.EgressNode egressNode(String name) {
        EgressNode n = client.resources(EgressNode.class).withName(name).get();
        return n == null ? null : ResourceMapping.egressNode(n, Map.of());
    }

    void awaitPolicy(String name, String what, Predicate<Policy> ok) {
        Await.until("policy " + name + ": " + what, () -> {
            Policy p = policy(name);
            return p != null && p.status() != null && ok.test(p);
        }, () -> String.valueOf(policy(name)));
    }

    void awaitGateway(String name, String what, Predicate<Gateway> ok) {
        Await.until("gateway " + name + ": " + what, () -> {
            Gateway g = gateway(name);
            return g != null && g.status() != null && ok.test(g);
        }, () -> String.valueOf(gateway(name)));
    }

    List<EgressEndpointSlice> slices(String policy) {
        return client.resources(EgressEndpointSlice.class).list().getItems().stream()
                .filter(s -> s.getMetadata().getLabels() != null
                        && policy.equals(s.getMetadata().getLabels().get(
                        io.egressgateway.adapters.kubernetes.crd.Crds.POLICY_LABEL)))
                .toList();
    }

    List<Event> events(String reason) {
        return client.v1().events().inNamespace(KubernetesEventsAdapter.EVENT_NAMESPACE).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    static boolean hasCondition(Policy p, String type, String status, String reason) {
        return p.status().conditions().stream().anyMatch(c -> c.type().equals(type) && c.status().name().equals(status)
                && (reason == null || c.reason().equals(reason)));
    }
}
