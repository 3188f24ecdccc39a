package io.egressgateway.adapters.linux.netlink;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * RTM_*NEXTHOP messages (nhmsg, kernel 5.3+; resilient groups 5.13+): single next hops and
 * resilient groups of them, which keep surviving flows on their next hop when a member changes.
 */
public final class NexthopCodec {
    static final int HEADER = 8;
    /** Buckets of a resilient group: many more than members, so shares stay close to the weights. */
    public static final int BUCKETS = 128;
    /**
     * A bucket no packet used for this long is idle: it may move to a next hop below its share.
     * Long enough that a flow pausing between requests keeps its bucket, short enough that a next hop
     * joining a quiet group gets its share within seconds (the kernel default is 120 s).
     */
    public static final int IDLE_TIMER_SECONDS = 10;
    /**
     * A group out of balance for this long moves the buckets still missing even though they are busy,
     * cutting the flows in them: the bound on how long a joining next hop can go without its share
     * (the kernel default, 0, waits for idle buckets forever, which on a busy node may be never).
     */
    public static final int UNBALANCED_TIMER_SECONDS = 60;

    /** A group member: next-hop id and weight (1..256). */
    public record Member(int id, int weight) {
    }

    /**
     * One next-hop object as dumped; a group has members, a single next hop has oif/gateway. A
     * resilient group also has its bucket count and timers (clock_t; 0 for anything else).
     */
    public record NhInfo(int id, int family, int protocol, long flags, int oif, String gateway, List<Member> group,
                         int groupType, int buckets, long idleTimer, long unbalancedTimer) {
        public NhInfo {
            group = List.copyOf(group);
        }

        public NhInfo(int id, int family, int protocol, long flags, int oif, String gateway, List<Member> group,
                      int groupType) {
            this(id, family, protocol, flags, oif, gateway, group, groupType, 0, 0, 0);
        }

        public boolean isGroup() {
            return !group.isEmpty();
        }
    }

    private NexthopCodec() {
    }

    public static NlMsg dump() {
        return header(new NlMsg(RTM_GETNEXTHOP, NLM_F_REQUEST | NLM_F_DUMP), AF_UNSPEC, 0, 0);
    }

    public static NhInfo decode(NlMessage m) {
        int family = m.u8(0);
        int protocol = m.u8(2);
        long flags = Integer.toUnsignedLong(m.i32(4));
        NlAttrs a = m.attrs(HEADER);
        List<Member> group = new ArrayList<>();
        a.bytes(NHA_GROUP).ifPresent(g -> {
            ByteBuffer b = ByteBuffer.wrap(g).order(ByteOrder.nativeOrder());
            for (int pos = 0; pos + 8 <= g.length; pos += 8) {
                group.add(new Member(b.getInt(pos), Byte.toUnsignedInt(g[pos + 4]) + 1));
            }
        });
        NlAttrs res = a.nested(NHA_RES_GROUP).orElse(NlAttrs.parse(new byte[0]));
        return new NhInfo(a.u32(NHA_ID).map(Long::intValue).orElse(0), family, protocol, flags,
                a.u32(NHA_OIF).map(Long::intValue).orElse(0), a.bytes(NHA_GATEWAY).map(InetText::format).orElse(null),
                group, a.bytes(NHA_GROUP_TYPE).map(NexthopCodec::u16).orElse(0),
                res.bytes(NHA_RES_GROUP_BUCKETS).map(NexthopCodec::u16).orElse(0),
                res.u32(NHA_RES_GROUP_IDLE_TIMER).orElse(0L), res.u32(NHA_RES_GROUP_UNBALANCED_TIMER).orElse(0L));
    }

    private static int u16(byte[] v) {
        return v.length >= 2 ? Short.toUnsignedInt(ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getShort()) : 0;
    }

    /** The timers a resilient group of ours carries, in the netlink unit (clock_t). */
    public static long idleTimerClockT() {
        return (long) IDLE_TIMER_SECONDS * USER_HZ;
    }

    public static long unbalancedTimerClockT() {
        return (long) UNBALANCED_TIMER_SECONDS * USER_HZ;
    }

    public static NlMsg member(int id, int family, int ifindex, String gateway, boolean onlink, int protocol) {
        NlMsg m = header(new NlMsg(RTM_NEWNEXTHOP, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
                family, protocol, onlink ? RTNH_F_ONLINK : 0)
                .attrU32(NHA_ID, id).attrU32(NHA_OIF, ifindex);
        if (gateway != null) {
            m.attr(NHA_GATEWAY, InetText.parse(gateway));
        }
        return m;
    }

    /**
     * Creates the resilient group, or replaces its members in place (NLM_F_REPLACE on an existing id:
     * buckets of surviving members stay where the timers let them). The timers travel with every
     * replace, and the kernel applies them before it rebalances, so a group made with other timers
     * gets ours at its next change of members, the only time they matter.
     */
    public static NlMsg resilientGroup(int id, List<Member> members, int protocol) {
        ByteBuffer g = ByteBuffer.allocate(8 * members.size()).order(ByteOrder.nativeOrder());
        for (Member mem : members) {
            g.putInt(mem.id()).put((byte) (mem.weight() - 1)).put((byte) 0).putShort((short) 0);
        }
        return header(new NlMsg(RTM_NEWNEXTHOP, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
                AF_UNSPEC, protocol, 0)
                .attrU32(NHA_ID, id).attr(NHA_GROUP, g.array())
                .attr(NHA_GROUP_TYPE, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder())
                        .putShort((short) NEXTHOP_GRP_TYPE_RES).array())
                .nest(NHA_RES_GROUP).attr(NHA_RES_GROUP_BUCKETS, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder())
                        .putShort((short) BUCKETS).array())
                .attrU32(NHA_RES_GROUP_IDLE_TIMER, (int) idleTimerClockT())
                .attrU32(NHA_RES_GROUP_UNBALANCED_TIMER, (int) unbalancedTimerClockT()).end();
    }

    public static NlMsg delete(int id) {
        return header(new NlMsg(RTM_DELNEXTHOP, NLM_F_REQUEST | NLM_F_ACK), AF_UNSPEC, 0, 0).attrU32(NHA_ID, id);
    }

    private static NlMsg header(NlMsg m, int family, int protocol, int flags) {
        return m.u8(family).u8(0).u8(protocol).u8(0).u32(flags);
    }
}
