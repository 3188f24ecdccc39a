package io.egressgateway.adapters.webhook;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Map;

/**
 * The cluster every admission case runs against: gateway "default" (the cluster default, with
 * pools), gateway "empty" (no pools), policy "shop" on "default" pinning 10.6.1.60.
 */
final class ClusterFixture {
    static final String DEFAULT_GATEWAY = """
            {"apiVersion":"egressgateway.spidernet.io/v1","kind":"EgressGateway",
             "metadata":{"name":"default","finalizers":["egressgateway.spidernet.io/gateway-in-use"]},
             "spec":{"nodeSelector":{"matchLabels":{"egress":"true"}},"clusterDefault":true,
                     "ippools":{"ipv4":["10.6.1.55","10.6.1.60-10.6.1.65"],"ipv6":["fd00:6::10-fd00:6::20"],
                                "ipv4DefaultEIP":"10.6.1.55","ipv6DefaultEIP":"fd00:6::10"}}}""";

    private ClusterFixture() {
    }

    static void fill(FakeCluster c) {
        LabelSelector egress = LabelSelector.of(Map.of("egress", "true"));
        c.gateways.add(new Gateway("default", 1, egress, new IpPools(List.of("10.6.1.55", "10.6.1.60-10.6.1.65"),
                List.of("fd00:6::10-fd00:6::20"), "10.6.1.55", "fd00:6::10"), true, null));
        c.gateways.add(new Gateway("empty", 1, egress, IpPools.empty(), false, null));
        c.policies.add(new Policy("shop", 1, "default",
                new AppliedTo(LabelSelector.of(Map.of("app", "shop")), null, null), List.of("10.6.1.0/24"),
                new EgressIpSpec(EgressIpMode.EgressIP, "10.6.1.60", null, AllocatorPolicy.DEFAULT), 0, null));
    }

    /** A gateway object with the given spec (JSON members, without braces). */
    static String gateway(String name, String spec) {
        return "{\"apiVersion\":\"egressgateway.spidernet.io/v1\",\"kind\":\"EgressGateway\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{" + spec + "}}";
    }

    static String policy(String name, String spec) {
        return "{\"apiVersion\":\"egressgateway.spidernet.io/v1\",\"kind\":\"EgressGatewayPolicy\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{" + spec + "}}";
    }

    static String named(String kind, String name) {
        return "{\"apiVersion\":\"egressgateway.spidernet.io/v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\""
                + name + "\"}}";
    }
}
