package io.egressgateway.application.admission;

import io.egressgateway.domain.net.Family;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Strict parsing of the address forms the resources use: an address, an inclusive range {@code a-b},
 * a CIDR. Never resolves names: only literals are accepted, so a typo can't trigger a DNS lookup.
 */
final class IpMath {
    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    private IpMath() {
    }

    record Addr(Family family, BigInteger value) {
    }

    /** Inclusive range of one family. */
    record Range(Family family, BigInteger lo, BigInteger hi) {
        boolean contains(Addr a) {
            return a.family() == family && lo.compareTo(a.value()) <= 0 && a.value().compareTo(hi) <= 0;
        }

        boolean overlaps(Range o) {
            return o.family == family && lo.compareTo(o.hi) <= 0 && o.lo.compareTo(hi) <= 0;
        }
    }

    /** A parsed CIDR; {@code normalised} is the CIDR with host bits cleared. */
    record Cidr(Family family, BigInteger network, int prefix, boolean hostBitsSet, String normalised) {
    }

    /** The address, or null when the text is not an IPv4 or IPv6 literal. */
    static Addr parseAddress(String text) {
        if (text == null) {
            return null;
        }
        if (V4.matcher(text).matches()) {
            return toAddr(literal(text));
        }
        if (text.indexOf(':') >= 0 && V6_CHARS.matcher(text).matches()) {
            byte[] b = literal(text);
            // "::ffff:1.2.3.4" comes back as 4 bytes; it is written as IPv6, so keep it IPv6
            return b == null ? null : b.length == 16 ? toAddr(b) : null;
        }
        return null;
    }

    private static byte[] literal(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Addr toAddr(byte[] b) {
        if (b == null) {
            return null;
        }
        return new Addr(b.length == 4 ? Family.IPV4 : Family.IPV6, new BigInteger(1, b));
    }

    /** A pool entry of the given family; throws with a user-facing reason. */
    static Range parsePoolEntry(String entry, Family expected) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("empty entry; use an address, a range a-b or a CIDR");
        }
        if (entry.contains("/")) {
            Cidr c = parseCidr(entry);
            checkFamily(c.family(), expected);
            if (c.hostBitsSet()) {
                throw new IllegalArgumentException("host bits are set, use " + c.normalised());
            }
            BigInteger size = BigInteger.ONE.shiftLeft(c.family().bits() - c.prefix());
            return new Range(c.family(), c.network(), c.network().add(size).subtract(BigInteger.ONE));
        }
        int dash = entry.indexOf('-');
        if (dash >= 0) {
            Addr a = parseAddress(entry.substring(0, dash).trim());
            Addr b = parseAddress(entry.substring(dash + 1).trim());
            if (a == null || b == null) {
                throw new IllegalArgumentException("not a range of two addresses a-b");
            }
            if (a.family() != b.family()) {
                throw new IllegalArgumentException("range mixes IPv4 and IPv6");
            }
            checkFamily(a.family(), expected);
            if (a.value().compareTo(b.value()) > 0) {
                throw new IllegalArgumentException("range start is after its end");
            }
            return new Range(a.family(), a.value(), b.value());
        }
        Addr a = parseAddress(entry.trim());
        if (a == null) {
            throw new IllegalArgumentException("not an IP address, a range a-b or a CIDR");
        }
        checkFamily(a.family(), expected);
        return new Range(a.family(), a.value(), a.value());
    }

    private static void checkFamily(Family got, Family expected) {
        if (expected != null && got != expected) {
            throw new IllegalArgumentException("is " + name(got) + ", expected " + name(expected));
        }
    }

    static String name(Family f) {
        return f == Family.IPV4 ? "IPv4" : "IPv6";
    }

    /** Parses {@code addr/prefix}; throws with a user-facing reason. */
    static Cidr parseCidr(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (address/prefix)");
        }
        Addr a = parseAddress(text.substring(0, slash));
        String p = text.substring(slash + 1);
        if (a == null || !p.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("not a CIDR (address/prefix)");
        }
        int prefix = Integer.parseInt(p);
        int bits = a.family().bits();
        if (prefix > bits) {
            throw new IllegalArgumentException("prefix length " + prefix + " exceeds " + bits);
        }
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger network = a.value().andNot(hostMask);
        boolean hostBits = !network.equals(a.value());
        return new Cidr(a.family(), network, prefix, hostBits, format(a.family(), network) + "/" + prefix);
    }

    /** Canonical text (RFC 5952 for IPv6). */
    static String format(Family family, BigInteger value) {
        int len = family.bits() / 8;
        byte[] raw = value.toByteArray();
        byte[] b = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, b, len - copy, copy);
        if (family == Family.IPV4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
