package io.egressgateway.adapters.linux;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.FdbEntry;
import io.egressgateway.domain.datapath.IpSet;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.LinkAddress;
import io.egressgateway.domain.datapath.Neighbour;
import io.egressgateway.domain.datapath.NextHop;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.datapath.Route;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-built datapaths for the two-node topology, following the baseline rule set of datapath.md
 * (what the planner will produce): node1 sends pod1's traffic to node2, which SNATs it to the EIP.
 */
final class Fixtures {
    static final String TUN = "egress-vxlan-v4";
    static final String MAC1 = "02:65:67:00:00:01";
    static final String MAC2 = "02:65:67:00:00:02";
    static final String TUN1 = "203.0.113.1";
    static final String TUN2 = "203.0.113.2";
    static final long BASE = 0x26000000L;
    static final long MARK1 = 0x26000001L;
    static final long MARK2 = 0x26000002L;
    static final String SRC = "egress-src-v4-t1";
    static final String DST = "egress-dst-v4-t1";
    static final String OURS = "-m mark --mark 0x26000000/0xff000000";

    static final OwnershipScope SCOPE = new OwnershipScope("egress-vxlan-", "egress-", "EGRESSGATEWAY-", 99, 99,
            BASE, 0xff000000L, List.of("192.0.2.200-192.0.2.210", "2001:db8:1::200/120"),
            List.of("net/ipv4/ip_forward", "net/ipv4/conf/" + TUN + "/rp_filter"));

    private Fixtures() {
    }

    static List<DatapathObject> common(String localIp, String mac, String peerTun, String peerMac, String peerIp) {
        List<DatapathObject> o = new ArrayList<>();
        o.add(new Sysctl("net/ipv4/ip_forward", "1"));
        o.add(new Sysctl("net/ipv4/conf/" + TUN + "/rp_filter", "2"));
        o.add(new TunnelLink(TUN, Family.IPV4, 100, 7789, "eth0", localIp, mac, 1450));
        o.add(new Neighbour(TUN, peerTun, peerMac));
        o.add(new FdbEntry(TUN, peerMac, peerIp));
        o.add(new IpSet(SRC, Family.IPV4, List.of(TwoNodeTopology.POD1_IP + "/32")));
        o.add(new IpSet(DST, Family.IPV4, List.of(TwoNodeTopology.EXT_IP + "/32", "203.0.113.128/25")));
        o.add(jump("mangle", "FORWARD", 1, OURS + " -j MARK --set-xmark 0x26000000/0xffffffff"));
        o.add(jump("mangle", "POSTROUTING", 1, "-o egress-vxlan+ -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu"));
        o.add(jump("filter", "FORWARD", 1, OURS + " -j ACCEPT"));
        o.add(jump("filter", "OUTPUT", 1, OURS + " -j ACCEPT"));
        return o;
    }

    static Datapath node1() {
        List<DatapathObject> o = common(TwoNodeTopology.NODE1_IP, MAC1, TUN2, MAC2, TwoNodeTopology.NODE2_IP);
        o.add(new LinkAddress(TUN, TUN1 + "/24"));
        o.add(new Route(Family.IPV4, MARK2, "0.0.0.0/0", Route.Type.UNICAST, List.of(new NextHop(TUN2, TUN, true, 1))));
        o.add(new RouteRule(Family.IPV4, 99, MARK2, 0xffffffffL, MARK2));
        o.addAll(ipv6AndMultipath());
        o.add(chain("mangle", "EGRESSGATEWAY-MARK-REQUEST", "-i egress-vxlan+ -j RETURN",
                "-m conntrack --ctdir ORIGINAL -m mark --mark 0x0/0xff000000 -m set --match-set " + SRC
                        + " src -m set --match-set " + DST + " dst -j MARK --set-xmark 0x26000002/0xffffffff"));
        o.add(jump("mangle", "PREROUTING", 1, "-j EGRESSGATEWAY-MARK-REQUEST"));
        o.add(jump("mangle", "PREROUTING", 2, OURS + " -j ACCEPT"));
        o.add(jump("nat", "POSTROUTING", 1, OURS + " -j ACCEPT"));
        return Datapath.of(o);
    }

    static Datapath node2() {
        List<DatapathObject> o = common(TwoNodeTopology.NODE2_IP, MAC2, TUN1, MAC1, TwoNodeTopology.NODE1_IP);
        o.add(new LinkAddress(TUN, TUN2 + "/24"));
        o.add(new EipAnnouncement(TwoNodeTopology.EIP, "eth0"));
        o.add(new EipAnnouncement("2001:db8:1::200", "eth0"));
        o.add(new Route(Family.IPV4, MARK1, "0.0.0.0/0", Route.Type.UNICAST, List.of(new NextHop(TUN1, TUN, true, 1))));
        o.add(new Route(Family.IPV4, MARK1 + 0x100, "0.0.0.0/0", Route.Type.UNREACHABLE, List.of()));
        o.add(new RouteRule(Family.IPV4, 99, MARK1, 0xffffffffL, MARK1));
        o.add(chain("mangle", "EGRESSGATEWAY-REPLY-ROUTING",
                "-i egress-vxlan+ -m mac --mac-source " + MAC1 + " -m conntrack --ctdir ORIGINAL -j MARK --set-xmark 0x26000001/0xffffffff",
                "-i egress-vxlan+ -m conntrack --ctdir ORIGINAL -m mark ! --mark 0x0/0xff000000 -j CONNMARK --save-mark",
                "-i egress-vxlan+ -m conntrack --ctdir ORIGINAL -j MARK --set-xmark 0x26000000/0xffffffff",
                "-m conntrack --ctdir REPLY -m connmark --mark 0x26000000/0xff000000 -j CONNMARK --restore-mark"));
        o.add(chain("mangle", "EGRESSGATEWAY-MARK-REQUEST", "-i egress-vxlan+ -j RETURN",
                "-m conntrack --ctdir ORIGINAL -m mark --mark 0x0/0xff000000 -m set --match-set " + SRC
                        + " src -m set --match-set " + DST + " dst -j MARK --set-xmark 0x26000000/0xffffffff"));
        o.add(chain("nat", "EGRESSGATEWAY-SNAT-EIP", "-m conntrack --ctdir ORIGINAL -m set --match-set " + SRC
                + " src -m set --match-set " + DST + " dst -j SNAT --to-source " + TwoNodeTopology.EIP + " --random-fully"));
        o.add(jump("mangle", "PREROUTING", 1, "-j EGRESSGATEWAY-REPLY-ROUTING"));
        o.add(jump("mangle", "PREROUTING", 2, "-j EGRESSGATEWAY-MARK-REQUEST"));
        o.add(jump("mangle", "PREROUTING", 3, OURS + " -j ACCEPT"));
        o.add(jump("filter", "FORWARD", 2, "-d " + TwoNodeTopology.EIP + "/32 -j DROP"));
        o.add(jump("nat", "POSTROUTING", 1, "-j EGRESSGATEWAY-SNAT-EIP"));
        o.add(jump("nat", "POSTROUTING", 2, OURS + " -j ACCEPT"));
        return Datapath.of(o);
    }

    /**
     * Objects in the forms where canonical text matters: IPv6 (compressed, lowercase), a multipath
     * route with weights, a mark above 0x7fffffff and an IPv6 chain. Not needed by the IPv4 traffic.
     */
    static List<DatapathObject> ipv6AndMultipath() {
        long high = 0x26ff0001L;
        return List.of(
                new LinkAddress(TUN, "2001:db8:ff::1/64"),
                new Neighbour(TUN, "2001:db8:ff::2", MAC2),
                new Neighbour(TUN, "203.0.113.3", "02:65:67:00:00:03"),
                new Route(Family.IPV6, MARK2, "::/0", Route.Type.UNICAST, List.of(new NextHop("2001:db8:ff::2", TUN, true, 1))),
                new Route(Family.IPV4, high, "0.0.0.0/0", Route.Type.UNICAST, List.of(
                        new NextHop(TUN2, TUN, true, 1), new NextHop("203.0.113.3", TUN, true, 3))),
                new Route(Family.IPV4, high, "10.96.0.0/12", Route.Type.UNREACHABLE, List.of()),
                new RouteRule(Family.IPV6, 99, MARK2, 0xffffffffL, MARK2),
                new RouteRule(Family.IPV4, 99, high, 0xffffffffL, high),
                new IpSet("egress-src-v6-t1", Family.IPV6, List.of("2001:db8:a::5/128", "2001:db8:b::/48")),
                new IptablesChain(Family.IPV6, "mangle", "EGRESSGATEWAY-MARK-REQUEST", List.of(
                        IptablesRule.of("-i egress-vxlan+ -j RETURN"),
                        IptablesRule.of("-m mark --mark 0x0/0xff000000 -m set --match-set egress-src-v6-t1 src "
                                + "-j MARK --set-xmark 0xa6000001/0xffffffff"))),
                new IptablesJump(Family.IPV6, "mangle", "PREROUTING", 1,
                        IptablesRule.of("-j EGRESSGATEWAY-MARK-REQUEST")));
    }

    static IptablesJump jump(String table, String chain, int position, String spec) {
        return new IptablesJump(Family.IPV4, table, chain, position, IptablesRule.of(spec));
    }

    static IptablesChain chain(String table, String name, String... specs) {
        return new IptablesChain(Family.IPV4, table, name, List.of(specs).stream().map(IptablesRule::of).toList());
    }
}
