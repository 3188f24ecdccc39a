package io.egressgateway.adapters.linux.netlink;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.linux.netlink.RouteCodec.Hop;
import io.egressgateway.adapters.linux.netlink.RouteCodec.RouteInfo;
import io.egressgateway.adapters.linux.netlink.RuleCodec.RuleInfo;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Encoding and decoding without a kernel: what a codec writes, read back the way the kernel's
 * answer would be read (a request's layout is the layout of the matching dump entry).
 */
class CodecTest {

    private static NlMessage asReceived(NlMsg msg) {
        byte[] bytes = msg.build(7);
        List<NlMessage> split = NlMessage.split(bytes, bytes.length);
        assertThat(split).hasSize(1);
        assertThat(split.get(0).seq()).isEqualTo(7);
        return split.get(0);
    }

    @Test
    void headerCarriesLengthTypeFlagsAndSequence() {
        byte[] b = RuleCodec.add(new RuleInfo(AF_INET, 99, 0x26000001L, 0xffffffffL, 0x26000001L, FR_ACT_TO_TBL))
                .build(42);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        assertThat(bb.getInt(0)).isEqualTo(b.length);
        assertThat(bb.getShort(4)).isEqualTo((short) RTM_NEWRULE);
        assertThat(bb.getShort(6)).isEqualTo((short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
        assertThat(bb.getInt(8)).isEqualTo(42);
        // fib_rule_hdr (12) + four u32 attributes (8 each)
        assertThat(b.length).isEqualTo(16 + 12 + 4 * 8);
        // table byte is UNSPEC for tables above 255, the table travels in FRA_TABLE
        assertThat(b[16 + 4]).isEqualTo((byte) RT_TABLE_UNSPEC);
        assertThat(b[16 + 7]).isEqualTo((byte) FR_ACT_TO_TBL);
    }

    @Test
    void rulesRoundTripWithMarksAboveTheSignedRange() {
        RuleInfo r = new RuleInfo(AF_INET6, 99, 0xa6000001L, 0xffffffffL, 0xa6000001L, FR_ACT_TO_TBL);
        assertThat(RuleCodec.decode(asReceived(RuleCodec.add(r)))).isEqualTo(r);
    }

    @Test
    void vxlanLinkNestsItsAttributesWithThePortInNetworkOrder() {
        TunnelLink t = new TunnelLink("egress-vxlan-v4", Family.IPV4, 100, 7789, "eth0", "192.0.2.11",
                "02:65:67:00:00:01", 1450);
        NlMessage m = asReceived(LinkCodec.createVxlan(t, 5));
        assertThat(m.i32(8) & IFF_UP).isEqualTo(IFF_UP);
        NlAttrs a = m.attrs(LinkCodec.HEADER);
        assertThat(a.string(IFLA_IFNAME)).contains("egress-vxlan-v4");
        assertThat(a.u32(IFLA_MTU)).contains(1450L);
        NlAttrs info = a.nested(IFLA_LINKINFO).orElseThrow();
        assertThat(info.string(IFLA_INFO_KIND)).contains("vxlan");
        NlAttrs data = info.nested(IFLA_INFO_DATA).orElseThrow();
        assertThat(data.u32(IFLA_VXLAN_ID)).contains(100L);
        assertThat(data.u32(IFLA_VXLAN_LINK)).contains(5L);
        assertThat(data.bytes(IFLA_VXLAN_PORT).orElseThrow()).containsExactly(0x1e, 0x6d);
        assertThat(data.u8(IFLA_VXLAN_LEARNING)).contains(0);
        assertThat(data.bytes(IFLA_VXLAN_LOCAL).map(InetText::format)).contains("192.0.2.11");

        LinkCodec.LinkInfo decoded = LinkCodec.decode(m);
        assertThat(decoded.name()).isEqualTo("egress-vxlan-v4");
        assertThat(decoded.mac()).isEqualTo("02:65:67:00:00:01");
        assertThat(decoded.vxlan().orElseThrow())
                .isEqualTo(new LinkCodec.VxlanInfo(100, 7789, 5, "192.0.2.11", false));
    }

    @Test
    void multipathRoutesRoundTripWithWeightsAndOnlink() {
        RouteInfo r = new RouteInfo(AF_INET, 0x26000002L, "0.0.0.0/0", RTN_UNICAST, RTPROT_STATIC, 0, 0,
                List.of(new Hop("203.0.113.2", 9, true, 1), new Hop("203.0.113.3", 9, true, 3)));
        RouteInfo back = RouteCodec.decode(asReceived(RouteCodec.replace(r)));
        assertThat(back.table()).isEqualTo(0x26000002L);
        assertThat(back.destination()).isEqualTo("0.0.0.0/0");
        assertThat(back.hops()).isEqualTo(r.hops());
    }

    @Test
    void singleHopIpv6RouteCarriesOnlinkInTheHeader() {
        RouteInfo r = new RouteInfo(AF_INET6, 300, "2001:db8::/32", RTN_UNICAST, RTPROT_STATIC, 0, 0,
                List.of(new Hop("2001:db8:ff::2", 4, true, 1)));
        RouteInfo back = RouteCodec.decode(asReceived(RouteCodec.replace(r)));
        assertThat(back.flags() & RTNH_F_ONLINK).isEqualTo(RTNH_F_ONLINK);
        assertThat(back.hops()).containsExactly(new Hop("2001:db8:ff::2", 4, true, 1));
        assertThat(back.destination()).isEqualTo("2001:db8::/32");
    }

    @Test
    void unreachableRouteHasNoNextHop() {
        RouteInfo r = new RouteInfo(AF_INET, 0x26000003L, "0.0.0.0/0", RTN_UNREACHABLE, RTPROT_STATIC, 0, 0, List.of());
        RouteInfo back = RouteCodec.decode(asReceived(RouteCodec.replace(r)));
        assertThat(back.type()).isEqualTo(RTN_UNREACHABLE);
        assertThat(back.hops()).isEmpty();
    }

    @Test
    void addressesAskForNoPrefixRouteAndIpv6AlsoForNoDad() {
        AddressCodec.AddrInfo v4 = AddressCodec.decode(asReceived(AddressCodec.add(3, "203.0.113.1/24")));
        assertThat(v4.cidr()).isEqualTo("203.0.113.1/24");
        assertThat(v4.flags()).isEqualTo(IFA_F_NOPREFIXROUTE);
        AddressCodec.AddrInfo v6 = AddressCodec.decode(asReceived(AddressCodec.add(3, "2001:DB8:ff::1/64")));
        assertThat(v6.cidr()).isEqualTo("2001:db8:ff::1/64");
        assertThat(v6.flags()).isEqualTo(IFA_F_NOPREFIXROUTE | IFA_F_NODAD);
    }

    @Test
    void neighboursProxiesAndFdbEntriesAreToldApart() {
        NeighbourCodec.NeighInfo n = NeighbourCodec.decode(asReceived(NeighbourCodec.addPermanent(4, "203.0.113.2", "02:65:67:00:00:02")));
        assertThat(n).isEqualTo(new NeighbourCodec.NeighInfo(AF_INET, 4, "203.0.113.2", "02:65:67:00:00:02", NUD_PERMANENT, 0, null));
        NeighbourCodec.NeighInfo p = NeighbourCodec.decode(asReceived(NeighbourCodec.addProxy(2, "2001:db8:1::200")));
        assertThat(p.proxy()).isTrue();
        assertThat(p.ip()).isEqualTo("2001:db8:1::200");
        NeighbourCodec.NeighInfo f = NeighbourCodec.decode(asReceived(NeighbourCodec.addFdb(4, "02:65:67:00:00:02", "192.0.2.12")));
        assertThat(f).isEqualTo(new NeighbourCodec.NeighInfo(AF_BRIDGE, 4, null, "02:65:67:00:00:02", NUD_PERMANENT, NTF_SELF, "192.0.2.12"));
    }

    @Test
    void resilientGroupsRoundTripWithWeightsAndRoutesPointAtThem() {
        NexthopCodec.NhInfo g = NexthopCodec.decode(asReceived(NexthopCodec.resilientGroup(7, List.of(
                new NexthopCodec.Member(5, 1), new NexthopCodec.Member(6, 3)), 38)));
        assertThat(g.id()).isEqualTo(7);
        assertThat(g.protocol()).isEqualTo(38);
        assertThat(g.groupType()).isEqualTo(NEXTHOP_GRP_TYPE_RES);
        assertThat(g.group()).containsExactly(new NexthopCodec.Member(5, 1), new NexthopCodec.Member(6, 3));
        assertThat(g.buckets()).isEqualTo(NexthopCodec.BUCKETS);
        assertThat(g.idleTimer()).as("seconds in clock_t").isEqualTo(NexthopCodec.IDLE_TIMER_SECONDS * 100L);
        assertThat(g.unbalancedTimer()).isEqualTo(NexthopCodec.UNBALANCED_TIMER_SECONDS * 100L);
        NexthopCodec.NhInfo m = NexthopCodec.decode(asReceived(NexthopCodec.member(5, AF_INET6, 4, "2001:db8::2", true, 38)));
        assertThat(m).isEqualTo(new NexthopCodec.NhInfo(5, AF_INET6, 38, RTNH_F_ONLINK, 4, "2001:db8::2", List.of(), 0));
        RouteInfo r = new RouteInfo(AF_INET, 0x26040000L, "0.0.0.0/0", RTN_UNICAST, RTPROT_STATIC, 0, 0,
                List.of(new Hop("203.0.113.2", 9, true, 1), new Hop("203.0.113.3", 9, true, 1)));
        RouteInfo back = RouteCodec.decode(asReceived(RouteCodec.replace(r.viaNexthop(7))));
        assertThat(back.nexthopId()).isEqualTo(7);
        assertThat(back.hops()).isEmpty();
    }

    @Test
    void truncatedAttributesEndTheParseQuietly() {
        byte[] junk = HexFormat.of().parseHex("08000100010000000c00");
        NlAttrs a = NlAttrs.parse(junk);
        assertThat(a.u32(1)).contains(1L);
        assertThat(a.all()).hasSize(1);
    }

    @Test
    void extendedAckTextIsRead() {
        NlMsg err = new NlMsg(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS).u32(-17);
        err.u32(16).u16(RTM_NEWLINK).u16(0).u32(1).u32(0);
        err.attrString(NLMSGERR_ATTR_MSG, "A VXLAN device with the specified VNI already exists");
        NlMessage m = asReceived(err);
        assertThat(NetlinkSocket.extAck(m)).isEqualTo("A VXLAN device with the specified VNI already exists");
    }
}
