package io.egressgateway.testbed.echo;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What the echo server saw: the source address and port of the request as it arrived (after every
 * NAT on the way). The wire format is one line {@code "<address> <port>"}.
 */
public record EchoReply(String address, int port) {

    /** IPv4 dotted, IPv6 in RFC 5952 form ({@code 2001:db8:1::11}, not Java's {@code 2001:db8:1:0:0:0:0:11}). */
    static String text(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
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

    static EchoReply parse(String line) {
        if (line == null) {
            throw new IllegalStateException("the echo server closed the connection without an answer");
        }
        String[] f = line.trim().split(" ");
        if (f.length != 2) {
            throw new IllegalStateException("unexpected echo answer \"" + line + "\" (want \"<address> <port>\")");
        }
        return new EchoReply(f[0], Integer.parseInt(f[1]));
    }

    String toLine() {
        return address + " " + port + "\n";
    }
}
