package io.egressgateway.domain.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyMatchTest {
    private static final PodInfo WEB = new PodInfo("shop", "web-1", Map.of("app", "web"), "n1", List.of("10.244.1.5"),
            false, false);
    private static final ClusterInfo INFO = new ClusterInfo(List.of("10.244.0.0/16"), List.of("10.96.0.0/12"),
            List.of("192.0.2.11"), List.of("172.31.0.0/16"), List.of("192.0.2.200/29"), ClusterInfo.ALWAYS, List.of(), true);

    private static Policy policy(String name, int priority, AppliedTo to, List<String> dest) {
        return new Policy(name, 1, "gw", to, dest, null, priority, null);
    }

    private static AppliedTo labels(Map<String, String> pod, Map<String, String> ns) {
        return new AppliedTo(LabelSelector.of(pod), ns == null ? null : LabelSelector.of(ns), null);
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    @Test
    void ruleOrderIsPriorityDescendingThenName() {
        List<Policy> sorted = List.of(policy("b", 0, null, List.of()), policy("a", 0, null, List.of()),
                policy("z", 10, null, List.of())).stream().sorted(PolicyMatch.RULE_ORDER).toList();
        assertThat(sorted).extracting(Policy::name).containsExactly("z", "a", "b");
    }

    @Test
    void selectionSaysWhichFieldDoesNotMatch() {
        assertThat(PolicyMatch.selection(policy("p", 0, labels(Map.of("app", "web"), null), List.of()), WEB, Map.of()))
                .isEqualTo(new PolicyMatch.Selection(true, "spec.appliedTo.podSelector matches the pod's labels"));
        assertThat(PolicyMatch.selection(policy("p", 0, labels(Map.of("app", "db"), null), List.of()), WEB, Map.of()).reason())
                .isEqualTo("spec.appliedTo.podSelector does not match the pod's labels {app=web}");
        assertThat(PolicyMatch.selection(policy("p", 0, labels(Map.of("app", "web"), Map.of("team", "a")), List.of()), WEB,
                Map.of("team", "b")).reason()).isEqualTo(
                "spec.appliedTo.namespaceSelector does not match the labels of namespace shop {team=b}");
        assertThat(PolicyMatch.selection(policy("p", 0, new AppliedTo(null, null, List.of("10.245.0.0/16")), List.of()),
                WEB, Map.of()).reason()).isEqualTo("no pod IP [10.244.1.5] lies in spec.appliedTo.podSubnet [10.245.0.0/16]");
        PodInfo host = new PodInfo("shop", "h", Map.of("app", "web"), "n1", List.of("192.0.2.11"), true, false);
        assertThat(PolicyMatch.selection(policy("p", 0, labels(Map.of("app", "web"), null), List.of()), host, Map.of())
                .selected()).isFalse();
    }

    @Test
    void anEmptyDestCidrExcludesEachClusterNetworkAndSaysWhich() {
        Policy all = policy("all", 0, labels(Map.of("app", "web"), null), List.of());
        assertThat(PolicyMatch.destination(all, Optional.of(INFO), ip("10.96.0.10")).reason())
                .isEqualTo("10.96.0.10 is a cluster network (EgressClusterInfo serviceCIDRs 10.96.0.0/12), which an empty"
                        + " spec.destCIDR excludes");
        assertThat(PolicyMatch.destination(all, Optional.of(INFO), ip("192.0.2.11")).reason()).contains("nodeIPs 192.0.2.11");
        assertThat(PolicyMatch.destination(all, Optional.of(INFO), ip("169.254.1.1")).reason()).contains("always 169.254.0.0/16");
        assertThat(PolicyMatch.destination(all, Optional.of(INFO), ip("198.51.100.7")).matches()).isTrue();
        ClusterInfo incomplete = new ClusterInfo(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false);
        assertThat(PolicyMatch.destination(all, Optional.of(incomplete), ip("198.51.100.7")).matches()).isFalse();
    }

    @Test
    void aDestCidrMatchesOnlyItsNetworks() {
        Policy p = policy("p", 0, labels(Map.of("app", "web"), null), List.of("192.0.2.100/32", "10.6.0.0/16"));
        assertThat(PolicyMatch.destination(p, Optional.of(INFO), ip("10.6.3.4")))
                .isEqualTo(new PolicyMatch.Destination(true, "10.6.3.4 lies in spec.destCIDR 10.6.0.0/16"));
        assertThat(PolicyMatch.destination(p, Optional.of(INFO), ip("198.51.100.7")).reason())
                .isEqualTo("198.51.100.7 is not in spec.destCIDR [192.0.2.100/32, 10.6.0.0/16]");
    }
}
