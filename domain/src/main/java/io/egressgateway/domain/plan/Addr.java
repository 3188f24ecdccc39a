package io.egressgateway.domain.plan;

import io.egressgateway.domain.net.Family;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little address arithmetic the planner needs on byte arrays: CIDR containment, canonical text,
 * ranges as CIDRs. Parsing goes through {@code net.IpAddress}, the parser admission, the controller
 * and the agent's vetting share, so what vetting accepts is exactly what parses here.
 */
final class Addr {
    private Addr() {
    }

    /** A network or an interface address: {@code bytes} keep host bits unless {@link #network()} clears them. */
    record Net(byte[] bytes, int prefix) {
        Family family() {
            return bytes.length == 4 ? Family.IPV4 : Family.IPV6;
        }

        int bits() {
            return bytes.length * 8;
        }

        Net network() {
            byte[] b = bytes.clone();
            for (int i = 0; i < b.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                b[i] &= (byte) (0xff << (8 - keep));
            }
            return new Net(b, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != bytes.length) {
                return false;
            }
            return Arrays.equals(new Net(address, prefix).network().bytes, network().bytes);
        }

        /** The canonical text of the network, with an explicit prefix: {@code 10.6.1.0/24}, {@code 10.0.0.1/32}. */
        String cidr() {
            return format(network().bytes) + "/" + prefix;
        }

        /** The address with its prefix, host bits kept: {@code 172.31.0.10/16}. */
        String interfaceCidr() {
            return format(bytes) + "/" + prefix;
        }

        String address() {
            return format(bytes);
        }

        @Override public boolean equals(Object o) {
            return o instanceof Net n && prefix == n.prefix && Arrays.equals(bytes, n.bytes);
        }

        @Override public int hashCode() {
            return Arrays.hashCode(bytes) * 31 + prefix;
        }

        @Override public String toString() {
            return interfaceCidr();
        }
    }

    static Family familyOf(String text) {
        return Family.of(text);
    }

    /** A CIDR, or a bare address taken as a host (/32, /128). */
    static Net net(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        byte[] a = parse(slash < 0 ? t : t.substring(0, slash));
        int prefix = a.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR: the prefix is not a number");
            }
            if (prefix < 0 || prefix > a.length * 8) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR: prefix " + prefix + " is outside 0.."
                        + a.length * 8);
            }
        }
        return new Net(a, prefix);
    }

    /** The canonical text of a bare address (a trailing prefix is dropped). */
    static String canonical(String address) {
        String t = address.trim();
        int slash = t.indexOf('/');
        return format(parse(slash < 0 ? t : t.substring(0, slash)));
    }

    /**
     * ipset {@code hash:net} members for one pool or CIDR entry: canonical networks with explicit
     * prefixes; a range {@code a-b} becomes the CIDRs covering it; /0 is split into two /1 because
     * hash:net does not take a /0.
     */
    static List<String> members(String entry) {
        String t = entry.trim();
        if (t.indexOf('/') < 0 && t.indexOf('-') < 0) {
            byte[] host = parse(t);
            return List.of(format(host) + (host.length == 4 ? "/32" : "/128"));
        }
        int dash = t.indexOf('-');
        List<Net> nets = dash < 0 ? List.of(net(t)) : range(parse(t.substring(0, dash)), parse(t.substring(dash + 1)), entry);
        List<String> out = new ArrayList<>();
        for (Net n : nets) {
            if (n.prefix() == 0) {
                byte[] upper = new byte[n.bytes().length];
                upper[0] = (byte) 0x80;
                out.add(new Net(new byte[n.bytes().length], 1).cidr());
                out.add(new Net(upper, 1).cidr());
            } else {
                out.add(n.cidr());
            }
        }
        return out;
    }

    private static List<Net> range(byte[] from, byte[] to, String text) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("range '" + text + "' mixes IPv4 and IPv6");
        }
        BigInteger lo = new BigInteger(1, from);
        BigInteger hi = new BigInteger(1, to);
        if (lo.compareTo(hi) > 0) {
            throw new IllegalArgumentException("range '" + text + "' starts after it ends");
        }
        int bits = from.length * 8;
        List<Net> out = new ArrayList<>();
        while (lo.compareTo(hi) <= 0) {
            int size = lo.signum() == 0 ? bits : lo.getLowestSetBit();
            while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(hi) > 0) {
                size--;
            }
            out.add(new Net(toBytes(lo, from.length), bits - size));
            lo = lo.add(BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    private static byte[] toBytes(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    /**
     * The bytes of an address, through the one parser the whole project uses ({@code net.IpAddress}).
     * The planner only sees vetted snapshots ({@link SnapshotVetting}), so a failure here is a bug,
     * reported as an exception that costs one policy at most.
     */
    static byte[] parse(String text) {
        io.egressgateway.domain.net.IpAddress a = io.egressgateway.domain.net.IpAddress.parse(text).orElseThrow();
        return toBytes(a.value(), a.family().bits() / 8);
    }

    static String format(byte[] a) {
        return io.egressgateway.domain.net.IpAddress.format(a);
    }

    static boolean isLinkLocal(byte[] a) {
        return a.length == 16 && (a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80;
    }
}
