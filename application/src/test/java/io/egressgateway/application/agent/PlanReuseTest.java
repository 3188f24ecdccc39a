package io.egressgateway.application.agent;

import static io.egressgateway.application.agent.AgentFixtures.FACTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.out.AgentClusterState;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.application.config.Settings;
import io.egressgateway.domain.model.ForwardMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DomainDatapathPlanning plans again only when what it plans from changed (a steady pass reuses the plan). */
class PlanReuseTest {
    private final DomainDatapathPlanning planning = new DomainDatapathPlanning("node1", settings());
    private final AgentClusterState state = new AgentClusterState(List.of(), List.of(), List.of(), List.of(),
            Optional.empty());

    private static Settings settings() {
        return new Settings(ForwardMethod.ACTIVE_PASSIVE, true, false, "egressgateway",
                new Settings.Tunnel("172.31.0.0/16", "fd11::/112", "egw.v4", "egw.v6", 100, 7789, "auto"),
                new Settings.Mark(0x26000000L, 0xff000000L, 0x0000ffffL, 99),
                new Settings.Iptables(Settings.IptablesBackend.AUTO),
                new Settings.Heartbeat(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofSeconds(5), true),
                new Settings.Cluster(List.of(), List.of(), List.of()),
                new Settings.Agent(Duration.ofMillis(10), Duration.ofMillis(50)), false, 100, new Settings.Ports(0, 0, 0));
    }

    @Test
    void theSameInputGivesTheSamePlanInstance() {
        Datapath first = planning.plan(state, FACTS, false, Map.of());
        assertThat(planning.plan(state, FACTS, false, Map.of())).isSameAs(first);
        AgentClusterState equal = new AgentClusterState(List.of(), List.of(), List.of(), List.of(), Optional.empty());
        assertThat(planning.plan(equal, FACTS, false, Map.of())).isSameAs(first);
    }

    @Test
    void aChangedSysctlOrFactPlansAgain() {
        Datapath first = planning.plan(state, FACTS, false, Map.of());
        Datapath other = planning.plan(state, FACTS, false, Map.of("net/ipv4/fib_multipath_hash_policy", "1"));
        assertThat(other).isNotSameAs(first);
        Datapath again = planning.plan(state, new io.egressgateway.domain.datapath.NodeFacts(List.of(), "eth9", null),
                false, Map.of("net/ipv4/fib_multipath_hash_policy", "1"));
        assertThat(again).isNotSameAs(other);
    }

    @Test
    void aFencedPassStillLeavesOutTheAnnouncementsOfAReusedPlan() {
        planning.plan(state, FACTS, false, Map.of());
        assertThat(planning.plan(state, FACTS, true, Map.of()).ofType(EipAnnouncement.class)).isEmpty();
    }
}
