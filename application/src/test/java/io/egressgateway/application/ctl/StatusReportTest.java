package io.egressgateway.application.ctl;

import io.egressgateway.application.port.in.EgressStatusView;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusReportTest {
    @Test
    void gatewaysPoliciesAndNodesAsTheirStatusesAndHeartbeatsSay() {
        CtlWorld w = new CtlWorld();
        w.policy("shop", 0, "shopping", List.of(), "n2", 1);
        EgressStatusView v = StatusReport.of(w.state(), CtlWorld.NOW);

        EgressStatusView.GatewayLine g = v.gateways().get(0);
        assertThat(g.readyNodes()).isEqualTo("2/2");
        assertThat(g.nodes().get(0).eips()).containsExactly("192.0.2.200 [shop]");
        assertThat(g.ipv4Free()).hasToString("5");
        assertThat(v.policies()).singleElement().satisfies(p -> {
            assertThat(p.eipV4()).isEqualTo("192.0.2.200");
            assertThat(p.node()).isEqualTo("n2");
            assertThat(p.programmed()).isEqualTo("3/3 nodes");
            assertThat(p.ready()).isEqualTo("True");
            assertThat(p.gateway()).isEqualTo("default");
        });
        assertThat(v.nodes()).extracting(EgressStatusView.NodeLine::name, EgressStatusView.NodeLine::heartbeatAgeMillis,
                EgressStatusView.NodeLine::tunnel).containsExactly(
                org.assertj.core.groups.Tuple.tuple("n1", 4200L, "Ready"),
                org.assertj.core.groups.Tuple.tuple("n2", 300L, "Ready"),
                org.assertj.core.groups.Tuple.tuple("n3", null, "Ready"));
    }
}
