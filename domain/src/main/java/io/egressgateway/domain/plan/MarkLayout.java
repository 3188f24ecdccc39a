package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.Marks;

/**
 * How the agent uses the packet mark and the connection mark (see docs/datapath.md).
 *
 * <ul>
 *   <li>{@code base} under {@code mask} (0x26000000/0xff000000) says "ours"; a node's or an
 *       active-active gateway's mark is {@code base | id}, the id in the bits outside {@code mask}
 *       and outside the reserved mask. The route table of a mark is the mark itself, so tables
 *       never collide with main/local/default (the base is non-zero under the mask) nor with a
 *       CNI's small table numbers.</li>
 *   <li>{@code owned} = every bit outside the reserved mask: the only bits copied between packet
 *       and connection mark, so another component's connmark bits (AWS CNI 0x80) survive.</li>
 *   <li>{@code replyClass} = {@code base ^ replyFlag} (0x27000000): a gateway stores the tag of the
 *       peer a connection came from as {@code peerMark ^ replyFlag}, so that a request decision
 *       pinned on a connection ({@code base} class) and a gateway's reply tag never mix up, even on
 *       a node that is a source and a gateway at once.</li>
 *   <li>{@code failClosed} = {@code replyClass} itself (0x27000000), looked up in table
 *       {@code base} (0x26000000), which holds only an unreachable default. Neither value can be
 *       a node's or a gateway's: the allocator hands out ids 1.., and a tag always has id bits.
 *       The whole id space stays free for nodes.</li>
 * </ul>
 */
public record MarkLayout(long base, long mask, long owned, long replyFlag, long failClosed) {
    public static final long ALL = 0xffffffffL;

    public static MarkLayout of(PlannerSettings s) {
        long owned = ~s.reservedMask() & ALL;
        long flag = Long.lowestOneBit(s.markMask());
        return new MarkLayout(s.markBase(), s.markMask(), owned, flag, s.markBase() ^ flag);
    }

    /** The table of the fail-closed mark: numbered like the base mark, which has no table of its own. */
    public long failClosedTable() {
        return base;
    }

    public long replyClass() {
        return base ^ replyFlag;
    }

    /** {@code 0x26000000/0xff000000}: "any mark of ours". */
    String ours() {
        return Marks.hex(base) + "/" + Marks.hex(mask);
    }

    String none() {
        return Marks.hex(0) + "/" + Marks.hex(mask);
    }

    String replyTags() {
        return Marks.hex(replyClass()) + "/" + Marks.hex(mask);
    }

    static String exact(long mark) {
        return Marks.hex(mark) + "/" + Marks.hex(ALL);
    }

    String connmarkMasks() {
        return "--nfmask " + Marks.hex(owned) + " --ctmask " + Marks.hex(owned);
    }
}
