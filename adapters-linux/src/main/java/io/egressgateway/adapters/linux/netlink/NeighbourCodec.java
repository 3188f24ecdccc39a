package io.egressgateway.adapters.linux.netlink;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

/**
 * RTM_*NEIGH messages (ndmsg) for three things: permanent neighbours (AF_INET/AF_INET6), proxy
 * entries (NTF_PROXY; the kernel dumps them only when the request carries that flag) and VXLAN FDB
 * entries (AF_BRIDGE, NTF_SELF, with NDA_DST the peer's underlay address).
 */
public final class NeighbourCodec {
    static final int HEADER = 12;

    /** One entry as dumped; ip, mac or dst are null when absent. */
    public record NeighInfo(int family, int index, String ip, String mac, int state, int flags, String dst) {
        public boolean proxy() {
            return (flags & NTF_PROXY) != 0;
        }
    }

    private NeighbourCodec() {
    }

    public static NlMsg dump(int family, boolean proxies) {
        return header(new NlMsg(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP), family, 0, 0, proxies ? NTF_PROXY : 0);
    }

    public static NeighInfo decode(NlMessage m) {
        int family = m.u8(0);
        int index = m.i32(4);
        int state = m.u16(8);
        int flags = m.u8(10);
        NlAttrs a = m.attrs(HEADER);
        String mac = a.bytes(NDA_LLADDR).filter(b -> b.length == 6).map(InetText::mac).orElse(null);
        String addr = a.bytes(NDA_DST).filter(b -> b.length == 4 || b.length == 16).map(InetText::format).orElse(null);
        if (family == AF_BRIDGE) {
            return new NeighInfo(family, index, null, mac, state, flags, addr);
        }
        return new NeighInfo(family, index, addr, mac, state, flags, null);
    }

    public static NlMsg addPermanent(int index, String ip, String mac) {
        byte[] a = InetText.parse(ip);
        return header(create(), a.length == 4 ? AF_INET : AF_INET6, index, NUD_PERMANENT, 0)
                .attr(NDA_DST, a).attr(NDA_LLADDR, InetText.parseMac(mac));
    }

    public static NlMsg deleteNeighbour(int index, String ip) {
        byte[] a = InetText.parse(ip);
        return header(remove(), a.length == 4 ? AF_INET : AF_INET6, index, 0, 0).attr(NDA_DST, a);
    }

    public static NlMsg addProxy(int index, String ip) {
        byte[] a = InetText.parse(ip);
        return header(create(), a.length == 4 ? AF_INET : AF_INET6, index, NUD_PERMANENT, NTF_PROXY).attr(NDA_DST, a);
    }

    public static NlMsg deleteProxy(int index, String ip) {
        byte[] a = InetText.parse(ip);
        return header(remove(), a.length == 4 ? AF_INET : AF_INET6, index, 0, NTF_PROXY).attr(NDA_DST, a);
    }

    public static NlMsg addFdb(int index, String mac, String dst) {
        return header(create(), AF_BRIDGE, index, NUD_PERMANENT, NTF_SELF)
                .attr(NDA_LLADDR, InetText.parseMac(mac)).attr(NDA_DST, InetText.parse(dst));
    }

    public static NlMsg deleteFdb(int index, String mac, String dst) {
        return header(remove(), AF_BRIDGE, index, 0, NTF_SELF)
                .attr(NDA_LLADDR, InetText.parseMac(mac)).attr(NDA_DST, InetText.parse(dst));
    }

    private static NlMsg create() {
        return new NlMsg(RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
    }

    private static NlMsg remove() {
        return new NlMsg(RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK);
    }

    private static NlMsg header(NlMsg m, int family, int index, int state, int flags) {
        return m.u8(family).u8(0).u16(0).u32(index).u16(state).u8(flags).u8(0);
    }
}
