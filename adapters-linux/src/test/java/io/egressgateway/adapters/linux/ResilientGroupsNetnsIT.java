package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.Kind;
import io.egressgateway.domain.datapath.NextHop;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Multipath routes become resilient next-hop groups, changed in place and removed with the route. */
class ResilientGroupsNetnsIT {
    private static final long TABLE = 0x26040000L;
    private static Netns netns;

    @BeforeAll
    static void setUp() {
        Netns.assumeRoot();
        netns = new Netns();
    }

    @AfterAll
    static void tearDown() {
        if (netns != null) {
            netns.close();
        }
    }

    private static Datapath with(NextHop... hops) {
        TunnelLink link = new TunnelLink(Fixtures.TUN, Family.IPV4, 100, 7789, "lo", "127.0.0.1", Fixtures.MAC1, 1450);
        if (hops.length == 0) {
            return Datapath.of(List.of(link));
        }
        return Datapath.of(List.of(link, new Route(Family.IPV4, TABLE, "0.0.0.0/0", Route.Type.UNICAST, List.of(hops))));
    }

    private static NextHop hop(int n, int weight) {
        return new NextHop("203.0.113." + n, Fixtures.TUN, true, weight);
    }

    @Test
    void gatewaysComeAndGoWithoutReplacingTheGroup() {
        String ns = netns.add("nh");
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.NFT)) {
            String group = null;
            for (Datapath want : List.of(with(hop(2, 1), hop(3, 1)), with(hop(2, 1), hop(3, 1), hop(4, 2)),
                    with(hop(3, 1), hop(4, 2)))) {
                assertThat(dp.applyPort().apply(DatapathDiff.between(want, dp.observePort().observe(Fixtures.SCOPE)))
                        .failures()).isEmpty();
                assertThat(DatapathDiff.between(want, dp.observePort().observe(Fixtures.SCOPE))).isEmpty();
                String route = exec(ns, "ip", "route", "show", "table", Long.toString(TABLE));
                assertThat(route).contains("nhid");
                String id = route.replaceAll("(?s).*nhid (\\d+).*", "$1");
                assertThat(exec(ns, "ip", "nexthop", "show", "id", id)).contains("type resilient");
                if (group != null) {
                    assertThat(id).as("the group is replaced in place, so surviving flows keep their bucket")
                            .isEqualTo(group);
                }
                group = id;
            }
            assertThat(exec(ns, "ip", "nexthop", "show")).as("the next hop of 203.0.113.2 went with it")
                    .doesNotContain("203.0.113.2 ");

            Datapath single = with(hop(4, 1));
            assertThat(dp.applyPort().apply(DatapathDiff.between(single, dp.observePort().observe(Fixtures.SCOPE)))
                    .failures()).isEmpty();
            assertThat(DatapathDiff.between(single, dp.observePort().observe(Fixtures.SCOPE))).isEmpty();
            assertThat(exec(ns, "ip", "nexthop", "show")).isBlank();

            assertThat(dp.applyPort().apply(DatapathDiff.between(with(hop(2, 1), hop(3, 1)),
                    dp.observePort().observe(Fixtures.SCOPE))).failures()).isEmpty();
            assertThat(dp.cleanup(Fixtures.SCOPE).failures()).isEmpty();
            assertThat(dp.observePort().observe(Fixtures.SCOPE).objects()).noneMatch(o -> o.kind() == Kind.ROUTE);
            assertThat(exec(ns, "ip", "nexthop", "show")).isBlank();
        }
    }
}
