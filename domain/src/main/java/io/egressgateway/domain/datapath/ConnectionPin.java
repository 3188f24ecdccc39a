package io.egressgateway.domain.datapath;

import io.egressgateway.domain.net.Family;

/**
 * Connections of one family whose connmark, under {@code mask}, equals {@code mark}: on a source node,
 * the connections pinned to one gateway. {@code mask} is the owned bits only (never another
 * component's connmark bits), and it includes the reply flag, so a gateway's reply tags for a peer
 * ({@code mark ^ flag}) never match. {@code conntrack -D -f <family> --mark <mark>/<mask>} deletes them.
 */
public record ConnectionPin(Family family, long mark, long mask) {
    public ConnectionPin {
        if (family == null) {
            throw new IllegalArgumentException("ConnectionPin.family is required");
        }
        if (mark < 0 || mark > 0xffffffffL || mask <= 0 || mask > 0xffffffffL) {
            throw new IllegalArgumentException("ConnectionPin mark " + mark + " / mask " + mask
                    + " must be unsigned 32-bit values, the mask non-zero");
        }
        if ((mark & ~mask) != 0) {
            throw new IllegalArgumentException("ConnectionPin mark " + Marks.hex(mark) + " has bits outside mask " + Marks.hex(mask));
        }
    }

    /** {@code v4 0x26010000/0xffff0000} */
    @Override
    public String toString() {
        return family.suffix() + " " + Marks.hex(mark) + "/" + Marks.hex(mask);
    }
}
