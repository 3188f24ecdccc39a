package io.egressgateway.domain.net;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as a number. Parsing is our own (never {@code InetAddress.getByName},
 * which may resolve host names) and strict: no zone ids, no whitespace, no leading zeros in IPv4
 * octets (they mean octal to some tools). {@link #text()} is canonical: dotted quad, or RFC 5952
 * for IPv6 (lower case, longest zero run compressed), which is what the kernel prints too.
 */
public record IpAddress(Family family, BigInteger value) implements Comparable<IpAddress> {
    private static final BigInteger V4_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    private static final BigInteger V6_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    public IpAddress {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(value, "value");
        if (value.signum() < 0 || value.compareTo(max(family)) > 0) {
            throw new IllegalArgumentException(value + " is outside the " + family + " address space");
        }
    }

    /** The largest value of a family: 2^32-1 or 2^128-1. */
    public static BigInteger max(Family family) {
        return family == Family.IPV4 ? V4_MAX : V6_MAX;
    }

    public static IpAddress of(Family family, BigInteger value) {
        return new IpAddress(family, value);
    }

    /** From network-order bytes: 4 for IPv4, 16 for IPv6 (what netlink and sockets hand over). */
    public static IpAddress fromBytes(byte[] bytes) {
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + bytes.length + " bytes");
        }
        return new IpAddress(bytes.length == 4 ? Family.IPV4 : Family.IPV6, new BigInteger(1, bytes));
    }

    /** The canonical text (RFC 5952 for IPv6) of network-order address bytes. */
    public static String format(byte[] bytes) {
        return fromBytes(bytes).text();
    }

    public static IpAddress v4(long value) {
        return new IpAddress(Family.IPV4, BigInteger.valueOf(value));
    }

    /** Parses an IPv4 or IPv6 address (the family follows from a colon in the text). */
    public static Parsed<IpAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Parsed.error(text == null ? "" : text, "is empty, expected an IP address");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return Parsed.error(text, "contains whitespace, expected an IP address");
            }
        }
        if (text.indexOf('/') >= 0) {
            return Parsed.error(text, "is a CIDR, expected a single IP address");
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    /** Parses an address that must be of {@code family}; the error says which family was expected. */
    public static Parsed<IpAddress> parse(String text, Family family) {
        return parse(text).flatMap(a -> a.family == family ? Parsed.ok(a)
                : Parsed.error(text, "is an " + a.family.label() + " address, expected " + family.label()));
    }

    private static Parsed<IpAddress> parseV4(String text) {
        Long v = v4Value(text);
        if (v == null) {
            return Parsed.error(text, "is not an IPv4 address (expected four decimal octets 0-255 like 192.0.2.10)");
        }
        return Parsed.ok(v4(v));
    }

    /** The value of a dotted quad, or null when it is not one. */
    private static Long v4Value(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int octet = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                return null;
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    private static Parsed<IpAddress> parseV6(String text) {
        if (text.indexOf('%') >= 0) {
            return Parsed.error(text, "has a zone id, which an egress address cannot carry");
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return Parsed.error(text, "is not an IPv6 address: '::' may appear only once");
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        if (gap >= 0 && head.indexOf('.') >= 0) {
            return Parsed.error(text, "is not an IPv6 address: an embedded IPv4 part must come last");
        }
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null || (gap < 0 && head.isEmpty())) {
            return Parsed.error(text, "is not an IPv6 address (expected up to 8 groups of 1-4 hex digits, like 2001:db8::1)");
        }
        int n = headGroups.length + tailGroups.length;
        if ((gap < 0 && n != 8) || (gap >= 0 && n > 7)) {
            return Parsed.error(text, "is not an IPv6 address: it has " + n + " groups, an address has 8");
        }
        BigInteger v = BigInteger.ZERO;
        for (int g : headGroups) {
            v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        }
        v = v.shiftLeft(16 * (8 - n));
        for (int g : tailGroups) {
            v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        }
        return Parsed.ok(new IpAddress(Family.IPV6, v));
    }

    /** 16-bit groups of one side of '::' (an embedded dotted quad counts as two), or null if malformed. */
    private static int[] groups(String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        boolean embeddedV4 = parts[parts.length - 1].indexOf('.') >= 0;
        int[] out = new int[parts.length + (embeddedV4 ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (embeddedV4 && i == parts.length - 1) {
                Long v4 = v4Value(p);
                if (v4 == null) {
                    return null;
                }
                out[i] = (int) (v4 >>> 16);
                out[i + 1] = (int) (v4 & 0xffff);
                break;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int g = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = Character.digit(p.charAt(k), 16);
                if (d < 0) {
                    return null;
                }
                g = g * 16 + d;
            }
            out[i] = g;
        }
        return out;
    }

    public boolean isV4() {
        return family == Family.IPV4;
    }

    /** The next address, or empty at the end of the address space. */
    public Optional<IpAddress> next() {
        return plus(BigInteger.ONE);
    }

    /** The previous address, or empty at the start of the address space. */
    public Optional<IpAddress> prev() {
        return plus(BigInteger.ONE.negate());
    }

    /** This address moved by {@code delta}, or empty when that leaves the address space. */
    public Optional<IpAddress> plus(BigInteger delta) {
        BigInteger v = value.add(delta);
        return v.signum() < 0 || v.compareTo(max(family)) > 0 ? Optional.empty() : Optional.of(new IpAddress(family, v));
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (IPv4-mapped addresses end in a dotted quad). */
    public String text() {
        return isV4() ? v4Text(value.longValue()) : v6Text();
    }

    private static String v4Text(long v) {
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    private String v6Text() {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = value.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        }
        boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        int groupsToPrint = mapped ? 6 : 8;
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < groupsToPrint; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < groupsToPrint && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groupsToPrint; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        if (mapped) {
            if (sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(v4Text(value.longValue() & 0xffffffffL));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    /** IPv4 before IPv6, then by value. */
    @Override
    public int compareTo(IpAddress o) {
        int f = family.compareTo(o.family);
        return f != 0 ? f : value.compareTo(o.value);
    }
}
