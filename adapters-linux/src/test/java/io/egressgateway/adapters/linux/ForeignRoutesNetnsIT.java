package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.application.port.out.ApplyDatapathPort.ApplyReport;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.NextHop;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes someone else adds: in a table of the mark range they are ours to remove, whatever their
 * protocol, type, tos or metric; in the main table only the EIP host routes older agents wrote
 * (protocol 38) are ever touched.
 */
class ForeignRoutesNetnsIT {
    private static final String TABLE = Long.toString(0x26050000L);
    private static final String EIP = "192.0.2.201";
    private Netns netns;
    private String ns;
    private LinuxDatapath dp;

    @BeforeEach
    void setUp() {
        Netns.assumeRoot();
        netns = new Netns();
        ns = netns.add("routes");
        exec(ns, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
        exec(ns, "ip", "link", "set", "eth0", "up");
        dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.NFT);
    }

    @AfterEach
    void tearDown() {
        if (dp != null) {
            dp.close();
        }
        if (netns != null) {
            netns.close();
        }
    }

    private static Datapath plan(DatapathObject... more) {
        List<DatapathObject> o = new ArrayList<>();
        o.add(new TunnelLink(Fixtures.TUN, Family.IPV4, 100, 7789, "lo", "127.0.0.1", Fixtures.MAC1, 1450));
        o.add(new Route(Family.IPV4, 0x26050000L, "0.0.0.0/0", Route.Type.UNICAST,
                List.of(new NextHop("203.0.113.2", Fixtures.TUN, true, 1))));
        o.addAll(List.of(more));
        return Datapath.of(o);
    }

    /** One reconcile pass: observe, diff, apply. */
    private ApplyReport pass(Datapath want) {
        return dp.applyPort().apply(DatapathDiff.between(want, dp.observePort().observe(Fixtures.SCOPE)));
    }

    @Test
    void routesOfOtherProtocolsTypesAndMetricsInAnOwnedTableAreRemoved() {
        assertThat(pass(plan()).failures()).isEmpty();
        String ours = exec(ns, "ip", "route", "show", "table", TABLE);
        exec(ns, "ip", "route", "add", "198.51.100.0/24", "dev", Fixtures.TUN, "table", TABLE, "proto", "boot");
        exec(ns, "ip", "route", "add", "blackhole", "198.51.100.128/25", "table", TABLE, "proto", "kernel");
        exec(ns, "ip", "route", "add", "192.0.2.64/26", "dev", Fixtures.TUN, "table", TABLE, "tos", "0x10");
        exec(ns, "ip", "route", "add", "default", "via", "203.0.113.9", "dev", Fixtures.TUN, "onlink", "table", TABLE,
                "metric", "50", "proto", "boot");
        exec(ns, "ip", "-6", "route", "add", "2001:db8:9::/64", "dev", Fixtures.TUN, "table", TABLE, "metric", "100",
                "proto", "boot");

        List<DatapathOp> drift = DatapathDiff.between(plan(), dp.observePort().observe(Fixtures.SCOPE));
        assertThat(drift).extracting(op -> op.action() + " " + op.object().key()).containsExactlyInAnyOrder(
                "DELETE v4 table 637861888 198.51.100.0/24", "DELETE v4 table 637861888 198.51.100.128/25",
                "DELETE v4 table 637861888 192.0.2.64/26", "DELETE v6 table 637861888 2001:db8:9::/64",
                "REPLACE v4 table 637861888 0.0.0.0/0");
        ApplyReport report = dp.applyPort().apply(drift);
        assertThat(report.failures()).isEmpty();
        assertThat(report.applied()).isEqualTo(5);

        assertThat(exec(ns, "ip", "route", "show", "table", TABLE)).isEqualTo(ours);
        assertThat(exec(ns, "ip", "-6", "route", "show", "table", TABLE)).isBlank();
        List<DatapathOp> next = DatapathDiff.between(plan(), dp.observePort().observe(Fixtures.SCOPE));
        assertThat(next).as("the next pass has nothing to do").isEmpty();
        assertThat(dp.applyPort().apply(next).applied()).isZero();
    }

    @Test
    void withdrawingAnOlderAgentsHostRouteLeavesAForeignRouteToTheSameEip() {
        // an older agent's kernel announcement (host route of protocol 38, proxy entry) ...
        assertThat(pass(plan()).failures()).isEmpty();
        exec(ns, "ip", "link", "set", Fixtures.TUN, "up");
        exec(ns, "ip", "route", "add", EIP + "/32", "dev", Fixtures.TUN, "proto", "38");
        exec(ns, "ip", "neigh", "add", "proxy", EIP, "dev", "eth0");
        // ... and someone else's route to the same address (a higher metric, so both coexist)
        exec(ns, "ip", "route", "add", EIP + "/32", "dev", "eth0", "metric", "100", "proto", "boot");

        ApplyReport withdrawn = pass(plan());
        assertThat(withdrawn.failures()).isEmpty();
        assertThat(withdrawn.applied()).isEqualTo(1);
        assertThat(exec(ns, "ip", "route", "show", EIP + "/32", "proto", "38")).as("our host route went").isBlank();
        assertThat(exec(ns, "ip", "neigh", "show", "proxy")).doesNotContain(EIP + " ");
        assertThat(exec(ns, "ip", "route", "show", EIP + "/32")).as("theirs stayed")
                .contains("dev eth0").contains("metric 100");
        assertThat(DatapathDiff.between(plan(), dp.observePort().observe(Fixtures.SCOPE))).isEmpty();
    }

    @Test
    void foreignRulesAtOurPriorityAreLeftAlone() {
        io.egressgateway.domain.datapath.RouteRule ours = new io.egressgateway.domain.datapath.RouteRule(Family.IPV4, 99,
                0x26050000L, 0xffffffffL, 0x26050000L);
        exec(ns, "ip", "rule", "add", "pref", "99", "from", "10.9.0.0/16", "lookup", "100");
        exec(ns, "ip", "rule", "add", "pref", "99", "fwmark", "0x4000/0x4000", "lookup", "main");
        exec(ns, "ip", "rule", "add", "pref", "99", "fwmark", "0x26060000", "blackhole");
        exec(ns, "ip", "rule", "add", "pref", "99", "fwmark", "0x26070000/0xff000000", "lookup", TABLE);
        assertThat(dp.observePort().observe(Fixtures.SCOPE).ofKind(io.egressgateway.domain.datapath.Kind.RULE))
                .as("none of them is ours").isEmpty();

        assertThat(pass(plan(ours)).failures()).isEmpty();
        assertThat(DatapathDiff.between(plan(ours), dp.observePort().observe(Fixtures.SCOPE))).isEmpty();
        assertThat(dp.cleanup(Fixtures.SCOPE).failures()).isEmpty();
        String left = exec(ns, "ip", "rule", "show", "pref", "99");
        assertThat(left).contains("from 10.9.0.0/16 lookup 100").contains("fwmark 0x4000/0x4000 lookup main")
                .contains("fwmark 0x26060000 blackhole").contains("fwmark 0x26070000/0xff000000 lookup " + TABLE)
                .doesNotContain("fwmark 0x26050000 lookup");
    }
}
