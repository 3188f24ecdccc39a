package io.egressgateway.domain.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A pool of addresses of one family, from the pool syntax of {@code EgressGateway.spec.ippools}:
 * entries are a single IP, an inclusive range {@code a-b}, or a CIDR. A CIDR entry with host bits
 * ({@code 10.6.1.70/28}) is taken as its network ({@code 10.6.1.64/28}, all 16 addresses, network
 * and broadcast included: an EIP is a host address on someone else's network) and the entry
 * carries a note saying so. Internally the pool is a sorted list of disjoint ranges, so counting,
 * membership and free-address search never materialise a huge IPv6 range.
 */
public final class IpPool implements Iterable<IpAddress> {
    private final Family family;
    private final List<Entry> entries;
    private final List<IpRange> ranges;

    /** One entry as the user wrote it, the addresses it means, and a note when it was normalised. */
    public record Entry(String text, IpRange range, Optional<String> note) {
    }

    private IpPool(Family family, List<Entry> entries, List<IpRange> ranges) {
        this.family = family;
        this.entries = List.copyOf(entries);
        this.ranges = List.copyOf(ranges);
    }

    /** Parses one pool entry of the given family. */
    public static Parsed<Entry> parseEntry(String text, Family family) {
        if (text == null || text.isEmpty()) {
            return Parsed.error(text == null ? "" : text, "is empty, expected an IP, a range a-b or a CIDR");
        }
        Parsed<Entry> entry;
        if (text.indexOf('/') >= 0) {
            entry = Cidr.parseLenient(text).map(l -> new Entry(text, l.cidr().toRange(), l.normalised()
                    ? Optional.of(text + " has host bits set; taken as " + l.cidr().text())
                    : Optional.empty()));
        } else if (text.indexOf('-') >= 0) {
            entry = IpRange.parse(text).map(r -> new Entry(text, r, Optional.empty()));
        } else {
            entry = IpAddress.parse(text).map(a -> new Entry(text, IpRange.single(a), Optional.empty()));
        }
        return entry.flatMap(e -> e.range().family() == family ? Parsed.ok(e)
                : Parsed.error(text, "is " + e.range().family().label() + ", but this is the " + family.label() + " pool"));
    }

    /** Parses a list of entries; the failure names the first bad entry and its index. */
    public static Parsed<IpPool> parse(Family family, List<String> texts) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Parsed<Entry> e = parseEntry(texts.get(i), family);
            if (e instanceof Parsed.Failure<Entry> f) {
                return Parsed.error(f.text(), f.why() + " (entry [" + i + "])");
            }
            entries.add(e.orElseThrow());
        }
        return Parsed.ok(new IpPool(family, entries, merge(entries.stream().map(Entry::range).toList())));
    }

    public static IpPool of(Family family, List<IpRange> ranges) {
        for (IpRange r : ranges) {
            if (r.family() != family) {
                throw new IllegalArgumentException(r + " is not " + family.label());
            }
        }
        List<Entry> entries = ranges.stream().map(r -> new Entry(r.text(), r, Optional.<String>empty())).toList();
        return new IpPool(family, entries, merge(ranges));
    }

    public static IpPool empty(Family family) {
        return new IpPool(family, List.of(), List.of());
    }

    private static List<IpRange> merge(List<IpRange> input) {
        List<IpRange> sorted = new ArrayList<>(input);
        sorted.sort(null);
        List<IpRange> out = new ArrayList<>();
        for (IpRange r : sorted) {
            if (!out.isEmpty()) {
                IpRange prev = out.get(out.size() - 1);
                boolean touches = prev.last().next().map(n -> n.compareTo(r.first()) >= 0).orElse(true);
                if (touches) {
                    if (r.last().compareTo(prev.last()) > 0) {
                        out.set(out.size() - 1, new IpRange(prev.first(), r.last()));
                    }
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    public Family family() {
        return family;
    }

    /** The entries as written, in the order written. */
    public List<Entry> entries() {
        return entries;
    }

    /** Sorted, disjoint, non-adjacent ranges covering exactly the pool. */
    public List<IpRange> ranges() {
        return ranges;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public BigInteger size() {
        BigInteger n = BigInteger.ZERO;
        for (IpRange r : ranges) {
            n = n.add(r.size());
        }
        return n;
    }

    /** The first address of the first entry as written: what "the first pool IP" means to a user. */
    public Optional<IpAddress> firstWritten() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0).range().first());
    }

    public boolean contains(IpAddress a) {
        return rangeOf(a) >= 0;
    }

    public boolean contains(IpRange r) {
        int i = rangeOf(r.first());
        return i >= 0 && ranges.get(i).contains(r.last());
    }

    private int rangeOf(IpAddress a) {
        if (a.family() != family) {
            return -1;
        }
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            IpRange r = ranges.get(mid);
            if (a.compareTo(r.first()) < 0) {
                hi = mid - 1;
            } else if (a.compareTo(r.last()) > 0) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The addresses both pools hold, as ranges; empty when they do not overlap. */
    public List<IpRange> overlap(IpPool other) {
        List<IpRange> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < ranges.size() && j < other.ranges.size()) {
            IpRange a = ranges.get(i);
            IpRange b = other.ranges.get(j);
            a.intersection(b).ifPresent(out::add);
            if (a.last().compareTo(b.last()) < 0) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    public boolean overlaps(IpPool other) {
        return !overlap(other).isEmpty();
    }

    /** The pool as the fewest CIDRs that cover it exactly. */
    public List<Cidr> toCidrs() {
        List<Cidr> out = new ArrayList<>();
        for (IpRange r : ranges) {
            out.addAll(r.toCidrs());
        }
        return out;
    }

    /** The n-th address in ascending order (0-based), or empty past the end. */
    public Optional<IpAddress> nth(BigInteger n) {
        return nthFree(n, new TreeSet<>());
    }

    /** The lowest address not in {@code used}. */
    public Optional<IpAddress> firstFree(NavigableSet<IpAddress> used) {
        return nthFree(BigInteger.ZERO, used);
    }

    /**
     * The n-th (0-based) address not in {@code used}, in ascending order. Cost grows with the
     * number of ranges and used addresses, never with the size of the pool.
     */
    public Optional<IpAddress> nthFree(BigInteger n, NavigableSet<IpAddress> used) {
        if (n.signum() < 0) {
            return Optional.empty();
        }
        BigInteger remaining = n;
        for (IpRange r : ranges) {
            BigInteger cursor = r.first().value();
            for (IpAddress u : used.subSet(r.first(), true, r.last(), true)) {
                BigInteger gap = u.value().subtract(cursor);
                if (remaining.compareTo(gap) < 0) {
                    return Optional.of(IpAddress.of(family, cursor.add(remaining)));
                }
                remaining = remaining.subtract(gap);
                cursor = u.value().add(BigInteger.ONE);
            }
            BigInteger tail = r.last().value().subtract(cursor).add(BigInteger.ONE);
            if (remaining.compareTo(tail) < 0) {
                return Optional.of(IpAddress.of(family, cursor.add(remaining)));
            }
            remaining = remaining.subtract(tail);
        }
        return Optional.empty();
    }

    /** How many addresses of the pool are not in {@code used} (used addresses outside the pool do not count). */
    public BigInteger freeCount(Collection<IpAddress> used) {
        long inPool = new TreeSet<>(used).stream().filter(this::contains).count();
        return size().subtract(BigInteger.valueOf(inPool));
    }

    /** Every address in ascending order, produced lazily. */
    @Override
    public Iterator<IpAddress> iterator() {
        return new Iterator<>() {
            private int range = 0;
            private IpAddress next = ranges.isEmpty() ? null : ranges.get(0).first();

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public IpAddress next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                IpAddress out = next;
                if (out.equals(ranges.get(range).last())) {
                    range++;
                    next = range < ranges.size() ? ranges.get(range).first() : null;
                } else {
                    next = out.next().orElseThrow();
                }
                return out;
            }
        };
    }

    /** The entries in canonical form, comma separated: for messages and logs. */
    public String text() {
        return String.join(",", ranges.stream().map(IpRange::text).toList());
    }

    @Override
    public String toString() {
        return family.label() + " pool " + text();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPool p && p.family == family && p.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, ranges);
    }
}
