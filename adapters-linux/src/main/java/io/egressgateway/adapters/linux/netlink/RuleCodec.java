package io.egressgateway.adapters.linux.netlink;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

/** RTM_*RULE messages (fib_rule_hdr): fwmark/mask rules that look up one table. */
public final class RuleCodec {
    static final int HEADER = 12;

    /** A rule as dumped; mark and mask are 0 when the rule has none. */
    public record RuleInfo(int family, int priority, long mark, long mask, long table, int action) {
    }

    private RuleCodec() {
    }

    public static NlMsg dump(int family) {
        return new NlMsg(RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP).u8(family).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0)
                .u8(0).u32(0);
    }

    public static RuleInfo decode(NlMessage m) {
        int family = m.u8(0);
        int tableByte = m.u8(4);
        int action = m.u8(7);
        NlAttrs a = m.attrs(HEADER);
        return new RuleInfo(family, a.u32(FRA_PRIORITY).map(Long::intValue).orElse(0), a.u32(FRA_FWMARK).orElse(0L),
                a.u32(FRA_FWMASK).orElse(a.has(FRA_FWMARK) ? 0xffffffffL : 0L), a.u32(FRA_TABLE).orElse((long) tableByte),
                action);
    }

    public static NlMsg add(RuleInfo r) {
        return body(new NlMsg(RTM_NEWRULE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL), r, FR_ACT_TO_TBL);
    }

    /**
     * Deletes the rule of this priority, mark, mask and table (table 0: any), whatever its action: a
     * rule someone else put in our priority band may be a blackhole or goto, and a delete that asks
     * for "lookup" would not find it.
     */
    public static NlMsg delete(RuleInfo r) {
        return body(new NlMsg(RTM_DELRULE, NLM_F_REQUEST | NLM_F_ACK), r, 0);
    }

    private static NlMsg body(NlMsg m, RuleInfo r, int action) {
        m.u8(r.family()).u8(0).u8(0).u8(0).u8(r.table() < 256 ? (int) r.table() : RT_TABLE_UNSPEC).u8(0).u8(0)
                .u8(action).u32(0)
                .attrU32(FRA_PRIORITY, r.priority())
                .attrU32(FRA_FWMARK, (int) r.mark())
                .attrU32(FRA_FWMASK, (int) r.mask())
                .attrU32(FRA_TABLE, (int) r.table());
        return m;
    }
}
