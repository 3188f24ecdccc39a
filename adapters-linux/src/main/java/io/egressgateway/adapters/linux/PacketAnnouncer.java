package io.egressgateway.adapters.linux;

import com.sun.jna.LastErrorException;
import io.egressgateway.adapters.linux.netlink.InetText;
import io.egressgateway.adapters.linux.sys.LibC;
import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends gratuitous ARP / unsolicited NA for EIPs just taken over, from a thread of its own in the
 * same namespace (so the apply thread never waits), several times over more than a second: a
 * receiver ignores updates within its ARP {@code locktime} (1 s by default) of the last one.
 */
final class PacketAnnouncer implements AutoCloseable {
    /** One EIP to announce: its address, the device and that device's index and MAC. */
    record Target(String ip, String device, int ifindex, String mac) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PacketAnnouncer.class);
    private static final int ROUNDS = 4;
    private static final long INTERVAL_MS = 500;
    private final NetnsExecutor thread;

    PacketAnnouncer(NetnsExecutor thread) {
        this.thread = thread;
    }

    CompletableFuture<Void> announce(List<Target> targets) {
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return thread.submit(() -> {
            for (int round = 0; round < ROUNDS; round++) {
                if (round > 0) {
                    pause();
                }
                for (Target t : targets) {
                    send(t);
                }
            }
        });
    }

    private static void send(Target t) {
        byte[] mac = InetText.parseMac(t.mac());
        byte[] ip = InetText.parse(t.ip());
        boolean v4 = ip.length == 4;
        int proto = v4 ? AnnouncementFrames.ETH_P_ARP : AnnouncementFrames.ETH_P_IPV6;
        int fd;
        try {
            fd = LibC.INSTANCE.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            LOG.warn("eip={} dev={} no packet socket for announcements: {}", t.ip(), t.device(),
                    LibC.describe(e.getErrorCode()));
            return;
        }
        try {
            byte[] addr = sockaddrLl(t.ifindex(), proto);
            if (v4) {
                sendFrame(fd, AnnouncementFrames.gratuitousArp(mac, ip, false), addr);
                sendFrame(fd, AnnouncementFrames.gratuitousArp(mac, ip, true), addr);
            } else {
                sendFrame(fd, AnnouncementFrames.unsolicitedAdvert(mac, ip), addr);
            }
        } catch (LastErrorException e) {
            LOG.warn("eip={} dev={} announcement not sent: {}", t.ip(), t.device(), LibC.describe(e.getErrorCode()));
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    private static void sendFrame(int fd, byte[] frame, byte[] addr) {
        LibC.INSTANCE.sendto(fd, frame, frame.length, 0, addr, addr.length);
    }

    /** struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8]. */
    static byte[] sockaddrLl(int ifindex, int proto) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.putShort((short) LibC.AF_PACKET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) proto).order(ByteOrder.nativeOrder());
        b.putInt(ifindex).putShort((short) 1).put((byte) 0).put((byte) 6);
        return b.array();
    }

    private static void pause() {
        try {
            Thread.sleep(INTERVAL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.close();
    }
}
