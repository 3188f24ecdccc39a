package io.egressgateway.adapters.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.egressgateway.adapters.linux.netlink.InetText;
import io.egressgateway.adapters.linux.sys.Errno;
import io.egressgateway.adapters.linux.sys.LibC;
import io.egressgateway.domain.datapath.EipAnnouncement;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers ARP requests and IPv6 neighbour solicitations for the EIPs this node carries, from the
 * agent's own process: one packet socket per device and family, read by a thread of its own. The
 * answers die with the process (SIGKILL, OOM kill, crash), so a node whose agent is gone stops
 * answering at once, and the controller can move its EIPs without two nodes answering
 * (docs/failover.md, "An agent that dies"). IPv6 sockets carry a kernel filter that passes only
 * neighbour solicitations, and join the solicited-node multicast group of each EIP (real NICs
 * filter multicast). Sockets are opened on the calling thread, which must be in the node's namespace.
 */
final class EipResponder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EipResponder.class);
    private static final int SOL_PACKET = 263;
    private static final int PACKET_ADD_MEMBERSHIP = 1;
    private static final int PACKET_DROP_MEMBERSHIP = 2;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    /** ldh [12]; jeq IPv6; ldb [20]; jeq ICMPv6; ldb [54]; jeq NS; ret all; ret 0 (no extension headers: none in an NS). */
    private static final int[][] NS_FILTER = {
        {0x28, 0, 0, 12}, {0x15, 0, 5, AnnouncementFrames.ETH_P_IPV6}, {0x30, 0, 0, 20}, {0x15, 0, 3, 58},
        {0x30, 0, 0, 54}, {0x15, 0, 1, 135}, {0x06, 0, 0, 0xffff}, {0x06, 0, 0, 0},
    };

    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Starts answering for {@code ip} on {@code device} (index {@code ifindex}, MAC {@code mac}). */
    synchronized void answer(String ip, String device, int ifindex, String mac) {
        if (closed) {
            throw new IllegalStateException("the EIP responder is closed");
        }
        boolean v4 = InetText.parse(ip).length == 4;
        String key = device + (v4 ? " v4" : " v6");
        Listener l = listeners.get(key);
        if (l != null && (l.ifindex != ifindex || !Arrays.equals(l.mac, InetText.parseMac(mac)))) {
            l.stop(); // the device was re-created or its MAC changed: bind again
            listeners.remove(key);
            l = null;
        }
        if (l == null) {
            l = new Listener(device, ifindex, InetText.parseMac(mac), v4);
            listeners.put(key, l);
            l.start();
        }
        l.add(ip);
    }

    /** Stops answering for {@code ip}, on whatever device it was answered. */
    synchronized void withdraw(String ip) {
        for (Map.Entry<String, Listener> e : List.copyOf(listeners.entrySet())) {
            Listener l = e.getValue();
            if (l.remove(ip) && l.ips.isEmpty()) {
                l.stop();
                listeners.remove(e.getKey());
            }
        }
    }

    /** What is answered now, as announcements (device = where it is answered). */
    List<EipAnnouncement> answering() {
        List<EipAnnouncement> out = new ArrayList<>();
        for (Listener l : listeners.values()) {
            for (String ip : l.ips.keySet()) {
                out.add(new EipAnnouncement(ip, l.device));
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        listeners.values().forEach(Listener::stop);
        listeners.clear();
    }

    /** One packet socket and its reading thread. */
    private static final class Listener implements Runnable {
        final String device;
        final int ifindex;
        final byte[] mac;
        final boolean v4;
        /** EIP text -> its address bytes. */
        final Map<String, byte[]> ips = new ConcurrentHashMap<>();
        final int fd;
        private volatile boolean running = true;
        private final Thread thread;

        Listener(String device, int ifindex, byte[] mac, boolean v4) {
            this.device = device;
            this.ifindex = ifindex;
            this.mac = mac;
            this.v4 = v4;
            int proto = v4 ? AnnouncementFrames.ETH_P_ARP : AnnouncementFrames.ETH_P_IPV6;
            // protocol 0: nothing is queued until bind() names the protocol and the device
            this.fd = LibC.INSTANCE.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
            try {
                if (!v4) {
                    attachFilter(fd);
                }
                byte[] addr = PacketAnnouncer.sockaddrLl(ifindex, proto);
                LibC.INSTANCE.bind(fd, addr, addr.length);
                // a receive timeout lets the thread notice stop() without closing the fd under it
                byte[] tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(200_000).array();
                LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, SO_RCVTIMEO, tv, tv.length);
            } catch (LastErrorException e) {
                LibC.INSTANCE.close(fd);
                throw new IllegalStateException("cannot answer ARP/NDP on " + device + ": "
                        + LibC.describe(e.getErrorCode()) + " (the agent needs CAP_NET_RAW)", e);
            }
            this.thread = new Thread(this, "egw-eip-responder-" + device + (v4 ? "-v4" : "-v6"));
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void add(String ip) {
            byte[] a = InetText.parse(ip);
            if (ips.putIfAbsent(ip, a) == null && !v4) {
                membership(PACKET_ADD_MEMBERSHIP, a);
            }
        }

        boolean remove(String ip) {
            byte[] a = ips.remove(ip);
            if (a != null && !v4) {
                membership(PACKET_DROP_MEMBERSHIP, a);
            }
            return a != null;
        }

        void stop() {
            running = false;
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Joins (or leaves) the solicited-node multicast MAC 33:33:ff:xx:xx:xx of {@code ip}. */
        private void membership(int option, byte[] ip) {
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            b.putInt(ifindex).putShort((short) 0).putShort((short) 6) // PACKET_MR_MULTICAST, 6 address bytes
                    .put(new byte[] {0x33, 0x33, (byte) 0xff, ip[13], ip[14], ip[15]});
            try {
                LibC.INSTANCE.setsockopt(fd, SOL_PACKET, option, b.array(), 16);
            } catch (LastErrorException e) {
                LOG.warn("dev={} solicited-node group of {} not {}: {}", device, InetText.format(ip),
                        option == PACKET_ADD_MEMBERSHIP ? "joined" : "left", LibC.describe(e.getErrorCode()));
            }
        }

        @Override
        public void run() {
            byte[] buf = new byte[1600];
            byte[] to = PacketAnnouncer.sockaddrLl(ifindex, v4 ? AnnouncementFrames.ETH_P_ARP : AnnouncementFrames.ETH_P_IPV6);
            try {
                while (running) {
                    int n;
                    try {
                        n = (int) LibC.INSTANCE.recv(fd, buf, buf.length, 0);
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
                            continue;
                        }
                        LOG.error("dev={} ARP/NDP responder stopped: {}", device, Errno.name(e.getErrorCode()));
                        return;
                    }
                    byte[] reply = v4 ? ResponderFrames.arpReply(buf, n, mac, ips.values())
                            : ResponderFrames.neighbourAdvert(buf, n, mac, ips.values());
                    if (reply != null) {
                        try {
                            LibC.INSTANCE.sendto(fd, reply, reply.length, 0, to, to.length);
                        } catch (LastErrorException e) {
                            LOG.warn("dev={} answer not sent: {}", device, LibC.describe(e.getErrorCode()));
                        }
                    }
                }
            } finally {
                LibC.INSTANCE.close(fd);
            }
        }

        private static void attachFilter(int fd) {
            Memory prog = new Memory(8L * NS_FILTER.length);
            for (int i = 0; i < NS_FILTER.length; i++) {
                int[] ins = NS_FILTER[i];
                prog.setShort(8L * i, (short) ins[0]);
                prog.setByte(8L * i + 2, (byte) ins[1]);
                prog.setByte(8L * i + 3, (byte) ins[2]);
                prog.setInt(8L * i + 4, ins[3]);
            }
            byte[] fprog = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putShort((short) NS_FILTER.length)
                    .putShort((short) 0).putInt(0).putLong(Pointer.nativeValue(prog)).array();
            LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, SO_ATTACH_FILTER, fprog, fprog.length);
            prog.close();
        }
    }

    /** For tests: the EIPs answered on {@code device}. */
    Set<String> answeredOn(String device) {
        Set<String> out = new java.util.TreeSet<>();
        listeners.values().stream().filter(l -> l.device.equals(device)).forEach(l -> out.addAll(l.ips.keySet()));
        return out;
    }
}
