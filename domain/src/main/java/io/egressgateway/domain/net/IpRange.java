package io.egressgateway.domain.net;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An inclusive range of addresses of one family, {@code first <= last}; a single address is a range too. */
public record IpRange(IpAddress first, IpAddress last) implements Comparable<IpRange> {

    public IpRange {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.family() != last.family()) {
            throw new IllegalArgumentException(first + "-" + last + " mixes IPv4 and IPv6");
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException(first + "-" + last + " ends before it starts");
        }
    }

    public static IpRange single(IpAddress a) {
        return new IpRange(a, a);
    }

    /** Parses {@code a-b} (inclusive, {@code a <= b}, one family). */
    public static Parsed<IpRange> parse(String text) {
        if (text == null || text.indexOf('-') < 0) {
            return Parsed.error(text == null ? "" : text, "is not a range, expected first-last like 10.6.1.60-10.6.1.65");
        }
        int dash = text.indexOf('-');
        Parsed<IpAddress> a = IpAddress.parse(text.substring(0, dash));
        Parsed<IpAddress> b = IpAddress.parse(text.substring(dash + 1));
        if (!a.isOk()) {
            return Parsed.error(text, "has an invalid first address: " + a.message());
        }
        if (!b.isOk()) {
            return Parsed.error(text, "has an invalid last address: " + b.message());
        }
        IpAddress first = a.orElseThrow();
        IpAddress last = b.orElseThrow();
        if (first.family() != last.family()) {
            return Parsed.error(text, "mixes IPv4 and IPv6");
        }
        if (first.compareTo(last) > 0) {
            return Parsed.error(text, "ends before it starts (the first address must not be greater than the last)");
        }
        return Parsed.ok(new IpRange(first, last));
    }

    public Family family() {
        return first.family();
    }

    public BigInteger size() {
        return last.value().subtract(first.value()).add(BigInteger.ONE);
    }

    public boolean contains(IpAddress a) {
        return a.family() == family() && a.compareTo(first) >= 0 && a.compareTo(last) <= 0;
    }

    public boolean contains(IpRange r) {
        return contains(r.first) && contains(r.last);
    }

    public boolean overlaps(IpRange r) {
        return r.family() == family() && first.compareTo(r.last) <= 0 && r.first.compareTo(last) <= 0;
    }

    /** The common part of two ranges, or empty when they do not overlap. */
    public Optional<IpRange> intersection(IpRange r) {
        if (!overlaps(r)) {
            return Optional.empty();
        }
        IpAddress f = first.compareTo(r.first) >= 0 ? first : r.first;
        IpAddress l = last.compareTo(r.last) <= 0 ? last : r.last;
        return Optional.of(new IpRange(f, l));
    }

    /** The address at offset {@code n} from the first, or empty when {@code n} is outside the range. */
    public Optional<IpAddress> nth(BigInteger n) {
        if (n.signum() < 0 || n.compareTo(size()) >= 0) {
            return Optional.empty();
        }
        return first.plus(n);
    }

    /** The smallest list of CIDRs that covers exactly this range (at most 2 x bits entries). */
    public List<Cidr> toCidrs() {
        List<Cidr> out = new ArrayList<>();
        int bits = family().bits();
        BigInteger cur = first.value();
        BigInteger end = last.value();
        while (cur.compareTo(end) <= 0) {
            int align = cur.signum() == 0 ? bits : cur.getLowestSetBit();
            int sizeBits = Math.min(align, bits);
            BigInteger remaining = end.subtract(cur).add(BigInteger.ONE);
            while (sizeBits > 0 && BigInteger.ONE.shiftLeft(sizeBits).compareTo(remaining) > 0) {
                sizeBits--;
            }
            out.add(new Cidr(IpAddress.of(family(), cur), bits - sizeBits));
            cur = cur.add(BigInteger.ONE.shiftLeft(sizeBits));
        }
        return out;
    }

    /** {@code first-last}, or the single address when they are equal. */
    public String text() {
        return first.equals(last) ? first.text() : first.text() + "-" + last.text();
    }

    @Override
    public String toString() {
        return text();
    }

    @Override
    public int compareTo(IpRange o) {
        int c = first.compareTo(o.first);
        return c != 0 ? c : last.compareTo(o.last);
    }
}
