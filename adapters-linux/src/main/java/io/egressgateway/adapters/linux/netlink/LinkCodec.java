package io.egressgateway.adapters.linux.netlink;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.net.Family;
import java.util.Optional;

/** RTM_*LINK messages: the link dump and VXLAN devices (ifinfomsg + IFLA_LINKINFO). */
public final class LinkCodec {
    static final int HEADER = 16;

    /** One link as dumped; {@code vxlan} is present for VXLAN devices. */
    public record LinkInfo(int index, String name, int mtu, String mac, boolean up, String kind,
                           Optional<VxlanInfo> vxlan) {
    }

    /** The VXLAN attributes the datapath cares about; {@code local} is canonical text or null. */
    public record VxlanInfo(long vni, int port, int parentIndex, String local, boolean learning) {
    }

    private LinkCodec() {
    }

    public static NlMsg dump() {
        return header(new NlMsg(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP), 0, 0, 0);
    }

    public static LinkInfo decode(NlMessage m) {
        int index = m.i32(4);
        long flags = Integer.toUnsignedLong(m.i32(8));
        NlAttrs a = m.attrs(HEADER);
        String name = a.string(IFLA_IFNAME).orElse("if" + index);
        int mtu = a.u32(IFLA_MTU).map(Long::intValue).orElse(0);
        String mac = a.bytes(IFLA_ADDRESS).filter(b -> b.length == 6).map(InetText::mac).orElse(null);
        Optional<NlAttrs> info = a.nested(IFLA_LINKINFO);
        String kind = info.flatMap(i -> i.string(IFLA_INFO_KIND)).orElse("");
        Optional<VxlanInfo> vxlan = Optional.empty();
        if ("vxlan".equals(kind)) {
            NlAttrs d = info.flatMap(i -> i.nested(IFLA_INFO_DATA)).orElseGet(() -> NlAttrs.parse(new byte[0]));
            String local = d.bytes(IFLA_VXLAN_LOCAL).filter(b -> b.length == 4).map(InetText::format)
                    .or(() -> d.bytes(IFLA_VXLAN_LOCAL6).filter(b -> b.length == 16).map(InetText::format))
                    .orElse(null);
            vxlan = Optional.of(new VxlanInfo(d.u32(IFLA_VXLAN_ID).orElse(-1L), d.be16(IFLA_VXLAN_PORT).orElse(0),
                    d.u32(IFLA_VXLAN_LINK).map(Long::intValue).orElse(0), local,
                    d.u8(IFLA_VXLAN_LEARNING).orElse(1) != 0));
        }
        return new LinkInfo(index, name, mtu, mac, (flags & IFF_UP) != 0, kind, vxlan);
    }

    /** Creates the device up, failing with EEXIST rather than touching a device of that name. */
    public static NlMsg createVxlan(TunnelLink link, int parentIndex) {
        byte[] local = InetText.parse(link.localIp());
        Family localFamily = InetText.familyOf(local);
        if (localFamily != link.underlay()) {
            throw new IllegalArgumentException("TunnelLink " + link.name() + ": localIp " + link.localIp()
                    + " is not of underlay family " + link.underlay());
        }
        NlMsg m = header(new NlMsg(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL), 0,
                IFF_UP, IFF_UP);
        m.attrString(IFLA_IFNAME, link.name())
                .attr(IFLA_ADDRESS, InetText.parseMac(link.mac()))
                .attrU32(IFLA_MTU, link.mtu())
                .nest(IFLA_LINKINFO).attrString(IFLA_INFO_KIND, "vxlan").nest(IFLA_INFO_DATA)
                .attrU32(IFLA_VXLAN_ID, link.vni())
                .attrU32(IFLA_VXLAN_LINK, parentIndex)
                .attr(localFamily == Family.IPV4 ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, local)
                .attrBe16(IFLA_VXLAN_PORT, link.port())
                .attrU8(IFLA_VXLAN_LEARNING, 0)
                .end().end();
        return m;
    }

    /** Sets MAC and MTU of an existing device and brings it up. */
    public static NlMsg update(int index, String mac, int mtu) {
        return header(new NlMsg(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK), index, IFF_UP, IFF_UP)
                .attr(IFLA_ADDRESS, InetText.parseMac(mac))
                .attrU32(IFLA_MTU, mtu);
    }

    public static NlMsg delete(int index) {
        return header(new NlMsg(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK), index, 0, 0);
    }

    private static NlMsg header(NlMsg m, int index, int flags, int change) {
        return m.u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(flags).u32(change);
    }
}
