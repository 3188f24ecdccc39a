package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.netlink.InetText;
import java.nio.ByteBuffer;

/**
 * Ethernet frames that tell a segment "this IP is now at this MAC": a gratuitous ARP request
 * (sender = target = the EIP) and an unsolicited neighbour advertisement with the override flag to
 * all nodes. Receivers update entries they already hold, which is what moving an EIP needs.
 */
final class AnnouncementFrames {
    static final int ETH_P_ARP = 0x0806;
    static final int ETH_P_IPV6 = 0x86dd;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    private static final byte[] ALL_NODES = InetText.parse("ff02::1");

    private AnnouncementFrames() {
    }

    static byte[] gratuitousArp(byte[] mac, byte[] ip, boolean reply) {
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put(BROADCAST).put(mac).putShort((short) ETH_P_ARP);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) (reply ? 2 : 1));
        b.put(mac).put(ip).put(reply ? BROADCAST : new byte[6]).put(ip);
        return b.array();
    }

    static byte[] unsolicitedAdvert(byte[] mac, byte[] ip) {
        return advert(mac, ip, ALL_NODES, ALL_NODES_MAC, false);
    }

    /** A neighbour advertisement for {@code ip} at {@code mac}, override flag set, to {@code dst}/{@code dstMac}. */
    static byte[] advert(byte[] mac, byte[] ip, byte[] dst, byte[] dstMac, boolean solicited) {
        int icmpLen = 32;
        ByteBuffer icmp = ByteBuffer.allocate(icmpLen);
        icmp.put((byte) 136).put((byte) 0).putShort((short) 0).putInt(solicited ? 0x60000000 : 0x20000000).put(ip)
                .put((byte) 2).put((byte) 1).put(mac);
        byte[] body = icmp.array();
        int sum = checksum(ip, dst, body);
        body[2] = (byte) (sum >> 8);
        body[3] = (byte) sum;
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + icmpLen);
        b.put(dstMac).put(mac).putShort((short) ETH_P_IPV6);
        b.putInt(0x60000000).putShort((short) icmpLen).put((byte) 58).put((byte) 255).put(ip).put(dst);
        b.put(body);
        return b.array();
    }

    /** ICMPv6 checksum over the pseudo header (RFC 8200 section 8.1) and the message. */
    static int checksum(byte[] src, byte[] dst, byte[] icmp) {
        ByteBuffer p = ByteBuffer.allocate(40 + icmp.length + (icmp.length & 1));
        p.put(src).put(dst).putInt(icmp.length).put(new byte[3]).put((byte) 58).put(icmp);
        long sum = 0;
        byte[] a = p.array();
        for (int i = 0; i < a.length; i += 2) {
            sum += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
