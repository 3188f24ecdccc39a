package io.egressgateway.testbed.echo;

import io.egressgateway.domain.net.IpAddress;
import java.net.InetAddress;

/**
 * What the echo server saw: the source address and port of the request as it arrived (after every
 * NAT on the way). The wire format is one line {@code "<address> <port>"}.
 */
public record EchoReply(String address, int port) {

    /** IPv4 dotted, IPv6 in RFC 5952 form ({@code 2001:db8:1::11}, not Java's {@code 2001:db8:1:0:0:0:0:11}). */
    static String text(InetAddress a) {
        return IpAddress.format(a.getAddress());
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
