package io.egressgateway.domain.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointSelectorTest {
    static final Map<String, Map<String, String>> NAMESPACES = Map.of("shop", Map.of("team", "shop"), "other", Map.of());

    static PodInfo pod(String ns, String name, String app, List<String> ips, boolean hostNetwork, boolean terminated) {
        return new PodInfo(ns, name, Map.of("app", app), "node1", ips, hostNetwork, terminated);
    }

    static Policy policy(AppliedTo to) {
        return new Policy("p", 1, "gw", to, List.of(), null, 0, null);
    }

    static final AppliedTo WEB_IN_SHOP = new AppliedTo(LabelSelector.of(Map.of("app", "web")),
            LabelSelector.of(Map.of("team", "shop")), null);

    @ParameterizedTest(name = "{0} is never an endpoint")
    @CsvSource(delimiter = '|', value = {
            "a hostNetwork pod|10.244.1.5|true|false",
            "a terminated pod|10.244.1.5|false|true",
            "a pod without IPs||false|false",
    })
    void ineligiblePods(String what, String ip, boolean hostNetwork, boolean terminated) {
        PodInfo p = pod("shop", "x", "web", ip == null ? List.of() : List.of(ip), hostNetwork, terminated);
        assertThat(EndpointSelector.select(policy(WEB_IN_SHOP), List.of(p), NAMESPACES)).isEmpty();
    }

    @Test
    void podSelectorAndNamespaceSelectorBothApply() {
        List<PodInfo> pods = List.of(
                pod("shop", "web-2", "web", List.of("fd00:10:244::5", "10.244.1.6"), false, false),
                pod("shop", "web-1", "web", List.of("10.244.1.5"), false, false),
                pod("other", "web-3", "web", List.of("10.244.1.7"), false, false),
                pod("shop", "db-1", "db", List.of("10.244.1.8"), false, false));
        assertThat(EndpointSelector.select(policy(WEB_IN_SHOP), pods, NAMESPACES)).containsExactly(
                new Endpoint("shop", "web-1", "node1", List.of("10.244.1.5"), List.of()),
                new Endpoint("shop", "web-2", "node1", List.of("10.244.1.6"), List.of("fd00:10:244::5")));
        AppliedTo anyNamespace = new AppliedTo(LabelSelector.of(Map.of("app", "web")), null, null);
        assertThat(EndpointSelector.select(policy(anyNamespace), pods, NAMESPACES)).extracting(Endpoint::pod)
                .containsExactly("web-3", "web-1", "web-2");
    }

    @Test
    void podSubnetSelectsPodsByAddressAndListsOnlyMatchingIps() {
        List<PodInfo> pods = List.of(
                pod("a", "in", "x", List.of("10.244.1.5", "fd00:99::1"), false, false),
                pod("a", "out", "x", List.of("10.245.1.5"), false, false));
        AppliedTo bySubnet = new AppliedTo(null, null, List.of("10.244.0.0/16"));
        assertThat(EndpointSelector.select(policy(bySubnet), pods, NAMESPACES)).containsExactly(
                new Endpoint("a", "in", "node1", List.of("10.244.1.5"), List.of()));
    }
}
