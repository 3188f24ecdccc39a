package io.egressgateway.domain.alloc;

import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.domain.net.Parsed;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Marks (fwmark and route-table keys) for nodes and active-active gateways, from
 * {@code mark.base}, {@code mark.mask} and {@code mark.reservedMask}. Marks are unsigned 32-bit
 * values in a long. A mark is {@code base | id} with the id spread over the <em>id bits</em>: the
 * bits outside {@code mask} (which identify "ours") and outside {@code reservedMask} (bits other
 * software uses: kube-proxy 0x4000/0x8000, AWS VPC CNI 0x80, Cilium 0x0f00 and its WireGuard
 * 0x1000). Id 0 is the base mark itself, which the datapath uses as "ours, decided here", so it is
 * never handed out. The id's bits go first into the id bits from bit 16 up, then into those below
 * bit 16: the first 255 marks are {@code 0x26010000 .. 0x26ff0000} under any reserved mask that
 * leaves bits 16-23 free, so narrowing the reserved mask moves no existing mark.
 *
 * <p>With the defaults (0x26000000, 0xff000000, 0x0000dff0) the id bits are 0x00ff200f: 13 bits,
 * 8,191 marks, shared by nodes and active-active gateways. Allocate both kinds in one call
 * ({@link #nodeKey}, {@link #gatewayKey}) so they never collide.
 */
public final class MarkAllocator {
    /** kube-proxy 0xc000, Cilium 0x0f00 and 0x1000 (WireGuard), AWS VPC CNI 0x80 and 0x70 spare: 13 id bits left. */
    public static final long DEFAULT_RESERVED_MASK = 0x0000dff0L;
    private final long base;
    private final long mask;
    private final long reservedMask;
    private final long idBits;
    /** The id bits in the order an id's bits are deposited: bit 16 up, then bit 0 up. */
    private final long[] order;

    private MarkAllocator(long base, long mask, long reservedMask) {
        this.base = base;
        this.mask = mask;
        this.reservedMask = reservedMask;
        this.idBits = ~mask & ~reservedMask & 0xffffffffL;
        this.order = new long[Long.bitCount(idBits)];
        int i = 0;
        for (int pos : new int[] {16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}) {
            if ((idBits & (1L << pos)) != 0) {
                order[i++] = 1L << pos;
            }
        }
    }

    /** Checks the scheme: base inside mask, at least one id bit; the error names the values. */
    public static Parsed<MarkAllocator> of(long base, long mask, long reservedMask) {
        String text = "base=" + Marks.hex(base) + " mask=" + Marks.hex(mask) + " reservedMask=" + Marks.hex(reservedMask);
        for (long v : new long[] {base, mask, reservedMask}) {
            if (v < 0 || v > 0xffffffffL) {
                return Parsed.error(text, "has a value outside unsigned 32 bits");
            }
        }
        if ((base & ~mask) != 0) {
            return Parsed.error(text, "sets base bits outside the mask");
        }
        if (base == 0) {
            return Parsed.error(text, "has base 0, which cannot tell our marks from unmarked packets");
        }
        if ((~mask & ~reservedMask & 0xffffffffL) == 0) {
            return Parsed.error(text, "leaves no id bits (bits outside mask and reservedMask)");
        }
        return Parsed.ok(new MarkAllocator(base, mask, reservedMask));
    }

    public static MarkAllocator defaults() {
        return of(0x26000000L, 0xff000000L, DEFAULT_RESERVED_MASK).orElseThrow();
    }

    public static String nodeKey(String node) {
        return "node/" + node;
    }

    public static String gatewayKey(String gateway) {
        return "gateway/" + gateway;
    }

    public long base() {
        return base;
    }

    public long mask() {
        return mask;
    }

    /** The bits ids are spread over. */
    public long idBits() {
        return idBits;
    }

    /** How many marks can be handed out: 2^(id bits) - 1. */
    public long capacity() {
        return (1L << Long.bitCount(idBits)) - 1;
    }

    /** The mark for id {@code id} (1..capacity): the id's bits deposited into the id bits, bit 16 up first. */
    public long markOf(long id) {
        if (id < 1 || id > capacity()) {
            throw new IllegalArgumentException("mark id " + id + " is outside 1.." + capacity());
        }
        long out = 0;
        for (int i = 0; i < order.length; i++) {
            if ((id & (1L << i)) != 0) {
                out |= order[i];
            }
        }
        return base | out;
    }

    /** The id of a mark of this scheme, or empty when the mark is not one of ours. */
    public Optional<Long> idOf(long mark) {
        if (mark < 0 || mark > 0xffffffffL || (mark & mask) != base || (mark & reservedMask) != 0) {
            return Optional.empty();
        }
        long id = 0;
        for (int i = 0; i < order.length; i++) {
            if ((mark & order[i]) != 0) {
                id |= 1L << i;
            }
        }
        return id == 0 ? Optional.empty() : Optional.of(id);
    }

    /**
     * Gives every key a mark, keeping valid existing marks; lowest free id first. Keys are opaque
     * and compared as strings, so with {@link #gatewayKey}/{@link #nodeKey} a gateway wins a
     * conflict against a node.
     */
    public Allocation<Long> allocate(Collection<String> keys, Map<String, Long> existing) {
        Map<String, String> text = new HashMap<>();
        existing.forEach((k, v) -> {
            if (v != null) {
                text.put(k, Long.toString(v));
            }
        });
        long[] cursor = {1};
        return Claims.resolve(keys, text, this::claim, (key, used) -> {
            while (cursor[0] <= capacity() && used.contains(markOf(cursor[0]))) {
                cursor[0]++;
            }
            return cursor[0] <= capacity() ? Optional.of(markOf(cursor[0])) : Optional.empty();
        }, Marks::hex);
    }

    /** The marks of an allocation as hex text ({@code 0x26010000}), for statuses. */
    public static SortedMap<String, String> hex(Allocation<Long> a) {
        SortedMap<String, String> out = new TreeMap<>();
        a.assigned().forEach((k, v) -> out.put(k, Marks.hex(v)));
        return out;
    }

    private Claims.Result<Long> claim(String text) {
        long v = Long.parseLong(text);
        if (idOf(v).isEmpty()) {
            return Claims.Result.bad(Marks.hex(v) + " is not a mark of base " + Marks.hex(base) + " mask "
                    + Marks.hex(mask) + " outside reserved " + Marks.hex(reservedMask));
        }
        return Claims.Result.ok(v);
    }
}
