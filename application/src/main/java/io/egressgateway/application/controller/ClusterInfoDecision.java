package io.egressgateway.application.controller;

import io.egressgateway.application.config.Settings;
import io.egressgateway.application.port.out.ControllerClusterState;
import io.egressgateway.domain.cluster.ClusterCidrs;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.Gateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code EgressClusterInfo/default} should say: the settings, the Nodes, the (vetted) gateways
 * and the detected ServiceCIDRs and IPPools through {@link ClusterCidrs}, and the
 * {@code ClusterCIDRsIncomplete} condition naming what is missing.
 */
final class ClusterInfoDecision {
    private ClusterInfoDecision() {
    }

    record Decided(ClusterInfo info, Condition condition, List<String> problems) {
    }

    static Decided decide(Settings settings, ControllerClusterState s, List<Gateway> gateways, Instant now) {
        List<String> tunnels = new ArrayList<>();
        if (settings.enableIPv4()) {
            tunnels.add(settings.tunnel().ipv4CIDR());
        }
        if (settings.enableIPv6()) {
            tunnels.add(settings.tunnel().ipv6CIDR());
        }
        ClusterCidrs.Result computed = ClusterCidrs.compute(new ClusterCidrs.Config(settings.cluster().podCIDRs(),
                settings.cluster().serviceCIDRs(), settings.cluster().extraCIDRs(), tunnels), s.nodes(), gateways,
                s.discovered());
        ClusterInfo info = computed.info();
        String reason = info.complete() ? "AllSourcesKnown"
                : computed.missing().get(0).startsWith("no pod") ? "NoPodCIDR" : "NoServiceCIDR";
        Condition c = Condition.of(PolicyConditions.CLUSTER_INCOMPLETE, !info.complete(), reason,
                info.complete() ? "pod, service, node and tunnel CIDRs are known"
                        : String.join("; ", computed.missing()) + ": policies with an empty destCIDR are not programmed",
                0, List.of(), now);
        return new Decided(info, c, computed.problems());
    }
}
