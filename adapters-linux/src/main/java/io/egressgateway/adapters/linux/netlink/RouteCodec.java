package io.egressgateway.adapters.linux.netlink;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * RTM_*ROUTE messages (rtmsg). Tables above 255 travel in RTA_TABLE (the header's byte then says
 * RT_TABLE_UNSPEC); several next hops travel as rtnexthop structs inside RTA_MULTIPATH.
 */
public final class RouteCodec {
    static final int HEADER = 12;
    private static final int RTNH_LEN = 8;

    /** One next hop as the kernel sees it: gateway may be null, weight is hops + 1. */
    public record Hop(String gateway, int ifindex, boolean onlink, int weight) {
    }

    /**
     * A route as dumped or to be written. {@code destination} is a canonical CIDR; {@code tos} and
     * {@code priority} (the metric, RTA_PRIORITY; 0 when absent) are, with table and destination, what
     * tells two kernel routes of one prefix apart.
     */
    public record RouteInfo(int family, long table, String destination, int type, int protocol, int scope,
                            long flags, List<Hop> hops, int nexthopId, int tos, long priority) {
        public RouteInfo {
            hops = List.copyOf(hops);
        }

        public RouteInfo(int family, long table, String destination, int type, int protocol, int scope, long flags,
                         List<Hop> hops) {
            this(family, table, destination, type, protocol, scope, flags, hops, 0, 0, 0);
        }

        /** The same route, pointing at a next-hop object instead of carrying its hops. */
        public RouteInfo viaNexthop(int id) {
            return new RouteInfo(family, table, destination, type, protocol, scope, flags, List.of(), id, tos, priority);
        }

        /** Table, destination, type, protocol, tos and metric, as {@code ip route} would print them. */
        public String describe() {
            return "route table " + Long.toUnsignedString(table) + " " + destination + " type " + type + " proto "
                    + protocol + (tos != 0 ? " tos 0x" + Integer.toHexString(tos) : "")
                    + (priority != 0 ? " metric " + Long.toUnsignedString(priority) : "");
        }
    }

    private RouteCodec() {
    }

    public static NlMsg dump(int family) {
        return new NlMsg(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP).u8(family).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0)
                .u8(0).u32(0);
    }

    public static RouteInfo decode(NlMessage m) {
        int family = m.u8(0);
        int dstLen = m.u8(1);
        int tos = m.u8(3);
        int tableByte = m.u8(4);
        int protocol = m.u8(5);
        int scope = m.u8(6);
        int type = m.u8(7);
        long flags = Integer.toUnsignedLong(m.i32(8));
        NlAttrs a = m.attrs(HEADER);
        long table = a.u32(RTA_TABLE).orElse((long) tableByte);
        byte[] dst = a.bytes(RTA_DST).orElse(new byte[family == AF_INET ? 4 : 16]);
        String destination = InetText.format(dst) + "/" + dstLen;
        List<Hop> hops = new ArrayList<>();
        boolean onlink = (flags & RTNH_F_ONLINK) != 0;
        a.bytes(RTA_MULTIPATH).ifPresentOrElse(mp -> hops.addAll(decodeMultipath(mp)), () -> {
            String gw = a.bytes(RTA_GATEWAY).map(InetText::format).orElse(null);
            int oif = a.u32(RTA_OIF).map(Long::intValue).orElse(0);
            if (gw != null || oif != 0) {
                hops.add(new Hop(gw, oif, onlink, 1));
            }
        });
        return new RouteInfo(family, table, destination, type, protocol, scope, flags, hops,
                a.u32(RTA_NH_ID).map(Long::intValue).orElse(0), tos, a.u32(RTA_PRIORITY).orElse(0L));
    }

    static List<Hop> decodeMultipath(byte[] mp) {
        List<Hop> hops = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(mp).order(ByteOrder.nativeOrder());
        int pos = 0;
        while (pos + RTNH_LEN <= mp.length) {
            int len = Short.toUnsignedInt(b.getShort(pos));
            if (len < RTNH_LEN || pos + len > mp.length) {
                break;
            }
            int nhFlags = Byte.toUnsignedInt(mp[pos + 2]);
            int hopsField = Byte.toUnsignedInt(mp[pos + 3]);
            int ifindex = b.getInt(pos + 4);
            NlAttrs na = NlAttrs.parse(mp, pos + RTNH_LEN, pos + len);
            String gw = na.bytes(RTA_GATEWAY).map(InetText::format).orElse(null);
            hops.add(new Hop(gw, ifindex, (nhFlags & RTNH_F_ONLINK) != 0, hopsField + 1));
            pos += NlMsg.align(len);
        }
        return hops;
    }

    /** Adds or replaces the route (NLM_F_CREATE | NLM_F_REPLACE), so applying twice is no error. */
    public static NlMsg replace(RouteInfo r) {
        InetText.Cidr dst = InetText.cidr(r.destination());
        NlMsg m = header(new NlMsg(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE), r, dst);
        if (r.nexthopId() != 0) {
            m.attrU32(RTA_NH_ID, r.nexthopId());
        } else if (r.hops().size() == 1) {
            Hop h = r.hops().get(0);
            if (h.gateway() != null) {
                m.attr(RTA_GATEWAY, InetText.parse(h.gateway()));
            }
            m.attrU32(RTA_OIF, h.ifindex());
        } else if (r.hops().size() > 1) {
            m.attr(RTA_MULTIPATH, encodeMultipath(r.hops()));
        }
        return m;
    }

    /**
     * Deletes the route that matches {@code r}'s table, destination, tos, type and protocol, and its
     * metric when non-zero. Type 0 and protocol 0 match any; next hops are never sent, so the route
     * goes whatever its next hops are.
     */
    public static NlMsg delete(RouteInfo r) {
        InetText.Cidr dst = InetText.cidr(r.destination());
        NlMsg m = header(new NlMsg(RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK), r, dst);
        if (r.priority() != 0) {
            m.attrU32(RTA_PRIORITY, (int) r.priority());
        }
        return m;
    }

    static byte[] encodeMultipath(List<Hop> hops) {
        ByteBuffer b = ByteBuffer.allocate(hops.size() * 32).order(ByteOrder.nativeOrder());
        for (Hop h : hops) {
            byte[] gw = h.gateway() == null ? null : InetText.parse(h.gateway());
            int len = RTNH_LEN + (gw == null ? 0 : 4 + gw.length);
            b.putShort((short) len).put((byte) (h.onlink() ? RTNH_F_ONLINK : 0)).put((byte) (h.weight() - 1))
                    .putInt(h.ifindex());
            if (gw != null) {
                b.putShort((short) (4 + gw.length)).putShort((short) RTA_GATEWAY).put(gw);
            }
            while ((b.position() & 3) != 0) {
                b.put((byte) 0);
            }
        }
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    private static NlMsg header(NlMsg m, RouteInfo r, InetText.Cidr dst) {
        boolean single = r.hops().size() == 1;
        boolean onlink = single && r.hops().get(0).onlink();
        // A delete asks with RT_SCOPE_NOWHERE (255), as ip route del does: IPv4 deletes only a route of exactly the
        // scope asked for otherwise, and the EIP host route (scope link) is deleted without its next hop.
        int scope = m.type() == RTM_DELROUTE ? 255
                : r.type() == RTN_UNICAST && r.hops().stream().allMatch(h -> h.gateway() == null) && !r.hops().isEmpty()
                ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        m.u8(r.family()).u8(dst.prefix()).u8(0).u8(r.tos()).u8(r.table() < 256 ? (int) r.table() : RT_TABLE_UNSPEC)
                .u8(r.protocol()).u8(scope).u8(r.type()).u32(onlink ? RTNH_F_ONLINK : 0);
        if (dst.prefix() > 0) {
            m.attr(RTA_DST, dst.address());
        }
        m.attrU32(RTA_TABLE, (int) r.table());
        return m;
    }
}
