package io.egressgateway.adapters.linux;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;

/**
 * The answers of {@link EipResponder}: an ARP reply to a request for one of our EIPs, a solicited
 * neighbour advertisement to a solicitation for one. Null when the frame asks for none of them, is
 * our own, or is malformed. Pure functions over byte arrays, so they are tested without a socket.
 */
final class ResponderFrames {
    private static final byte[] ZERO4 = new byte[4];

    private ResponderFrames() {
    }

    /** An ARP reply to {@code frame} (its first {@code n} bytes) if it requests one of {@code eips}. */
    static byte[] arpReply(byte[] frame, int n, byte[] mac, Collection<byte[]> eips) {
        if (n < 42 || u16(frame, 12) != AnnouncementFrames.ETH_P_ARP || u16(frame, 14) != 1 || u16(frame, 16) != 0x0800
                || frame[18] != 6 || frame[19] != 4 || u16(frame, 20) != 1) {
            return null;
        }
        byte[] sha = Arrays.copyOfRange(frame, 22, 28);
        byte[] spa = Arrays.copyOfRange(frame, 28, 32);
        byte[] tpa = Arrays.copyOfRange(frame, 38, 42);
        // our own gratuitous requests (sender = target) and anything we sent ourselves are not questions
        if (Arrays.equals(sha, mac) || Arrays.equals(spa, tpa) || !contains(eips, tpa)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(42);
        b.put(sha).put(mac).putShort((short) AnnouncementFrames.ETH_P_ARP);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2);
        b.put(mac).put(tpa).put(sha).put(Arrays.equals(spa, ZERO4) ? ZERO4 : spa);
        return b.array();
    }

    /** A neighbour advertisement answering {@code frame} if it is a solicitation for one of {@code eips}. */
    static byte[] neighbourAdvert(byte[] frame, int n, byte[] mac, Collection<byte[]> eips) {
        if (n < 78 || u16(frame, 12) != AnnouncementFrames.ETH_P_IPV6 || frame[20] != 58 || (frame[21] & 0xff) != 255
                || (frame[54] & 0xff) != 135 || frame[55] != 0) {
            return null;
        }
        byte[] srcMac = Arrays.copyOfRange(frame, 6, 12);
        byte[] src = Arrays.copyOfRange(frame, 22, 38);
        byte[] target = Arrays.copyOfRange(frame, 62, 78);
        if (Arrays.equals(srcMac, mac) || !contains(eips, target)) {
            return null;
        }
        // duplicate address detection asks from "::": the answer goes to all nodes, not solicited
        boolean dad = Arrays.equals(src, new byte[16]);
        return dad ? AnnouncementFrames.unsolicitedAdvert(mac, target)
                : AnnouncementFrames.advert(mac, target, src, srcMac, true);
    }

    private static boolean contains(Collection<byte[]> eips, byte[] ip) {
        for (byte[] e : eips) {
            if (Arrays.equals(e, ip)) {
                return true;
            }
        }
        return false;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
