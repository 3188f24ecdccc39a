package io.egressgateway.adapters.linux.netlink;

import io.egressgateway.domain.net.Family;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Canonical address text, so that what the kernel reports compares equal to what the planner wrote:
 * IPv4 dotted quad, IPv6 as RFC 5952 (lowercase, longest run of zero groups compressed, the first
 * of equal runs, never a single group), CIDRs always with a prefix, MACs lowercase with colons.
 */
public final class InetText {
    private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");
    private InetText() {
    }

    public static String format(byte[] a) {
        return io.egressgateway.domain.net.IpAddress.format(a);
    }

    /** Parses a literal address (never a host name: no DNS lookups from the datapath). */
    public static byte[] parse(String text) {
        String t = text.trim();
        if (t.indexOf(':') < 0) {
            return parseV4(t, text);
        }
        if (!V6_CHARS.matcher(t).matches()) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            byte[] a = InetAddress.getByName(t).getAddress();
            if (a.length != 16) {
                throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }

    /** Dotted quad without regular expressions or InetAddress: ipset members come by the ten thousand. */
    private static byte[] parseV4(String t, String original) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= t.length(); i++) {
            char c = i < t.length() ? t.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + original + "'");
                }
            } else if (c == '.' && value >= 0 && part < 4) {
                out[part++] = (byte) value;
                value = -1;
            } else {
                throw new IllegalArgumentException("not an IP address: '" + original + "'");
            }
        }
        if (part != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + original + "'");
        }
        return out;
    }

    public static String canonical(String text) {
        return format(parse(text));
    }

    /** "10.0.0.1" -> "10.0.0.1/32", "2001:DB8::0/64" -> "2001:db8::/64". Host bits are kept. */
    public static String canonicalCidr(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] a = parse(addr);
        int prefix = slash < 0 ? a.length * 8 : Integer.parseInt(text.substring(slash + 1).trim());
        if (prefix < 0 || prefix > a.length * 8) {
            throw new IllegalArgumentException("prefix out of range in '" + text + "'");
        }
        return format(a) + "/" + prefix;
    }

    public static Cidr cidr(String text) {
        String c = canonicalCidr(text);
        int slash = c.indexOf('/');
        return new Cidr(parse(c.substring(0, slash)), Integer.parseInt(c.substring(slash + 1)));
    }

    public static String mac(byte[] m) {
        return HexFormat.ofDelimiter(":").formatHex(m).toLowerCase(Locale.ROOT);
    }

    public static byte[] parseMac(String text) {
        String t = text.trim();
        if (!MAC.matcher(t).matches()) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        return HexFormat.ofDelimiter(":").parseHex(t.toLowerCase(Locale.ROOT));
    }

    public static Family familyOf(byte[] a) {
        return a.length == 4 ? Family.IPV4 : Family.IPV6;
    }

    /** An address and prefix length. */
    public record Cidr(byte[] address, int prefix) {
        public Family family() {
            return familyOf(address);
        }

        public boolean contains(byte[] other) {
            if (other.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit & 7);
                if ((address[bit >> 3] & mask) != (other[bit >> 3] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return format(address) + "/" + prefix;
        }
    }
}
