package io.egressgateway.adapters.linux.netlink;

import com.sun.jna.LastErrorException;
import io.egressgateway.adapters.linux.sys.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A netlink socket (NETLINK_ROUTE, or NETLINK_NETFILTER for ipset and nf_tables). It belongs to the network namespace of the thread that opened it, so open
 * and use it on a {@code NetnsExecutor} thread. Not thread-safe: one request at a time.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int NETLINK_ROUTE = 0;
    /** nfnetlink: ipset (NFNL_SUBSYS_IPSET) and nf_tables (NFNL_SUBSYS_NFTABLES) speak it. */
    public static final int NETLINK_NETFILTER = 12;
    private static final int RECV_BUF = 1 << 20;
    private final int fd;
    /**
     * Native, because JNA copies a byte[] argument whole into native memory and back on every call:
     * 2 MiB per recv, which made a dump of 2,000 ipsets (a message or two each) take 170 ms.
     */
    private final com.sun.jna.Memory rxNative = new com.sun.jna.Memory(RECV_BUF);
    /**
     * The datagram copied out of {@link #rxNative} when it fits (the kernel's dump datagrams are at
     * most 32 KiB); a larger one (an error that echoes a large request) gets an array of its own for
     * that receive. It was RECV_BUF for every socket: an agent keeps
     * five, and their 5 MiB of zeroed arrays were the largest single item of its live heap
     * (docs/benchmarks.md, "Issue 18: the agent's live heap"). Of the native buffer only the pages
     * recv writes become resident.
     */
    private final byte[] rx = new byte[RX_KEPT];
    private static final int RX_KEPT = 64 * 1024;
    private int seq = (int) (System.nanoTime() & 0x3fffffff);

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    public static NetlinkSocket open() {
        return open(NETLINK_ROUTE, "NETLINK_ROUTE");
    }

    /** A socket of another netlink protocol ({@code NETLINK_NETFILTER} = 12 for nfacct), as above. */
    public static NetlinkSocket open(int protocol) {
        return open(protocol, protocol == NETLINK_ROUTE ? "NETLINK_ROUTE" : protocol == NETLINK_NETFILTER ? "NETLINK_NETFILTER"
                : "netlink protocol " + protocol);
    }

    /** As {@link #open(int)}, naming the protocol in errors. */
    public static NetlinkSocket open(int protocol, String protocolName) {
        int fd;
        try {
            fd = LibC.INSTANCE.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw new NetlinkException("open " + protocolName + " socket", e.getErrorCode(), null);
        }
        try {
            LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, new int[] {RECV_BUF}, 4);
            try {
                LibC.INSTANCE.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, new int[] {1}, 4);
            } catch (LastErrorException ignored) {
                // kernels before 4.12 have no extended ack: errors then carry only the errno
            }
            byte[] addr = new byte[12];
            ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).putShort((short) LibC.AF_NETLINK);
            LibC.INSTANCE.bind(fd, addr, addr.length);
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw new NetlinkException("bind " + protocolName + " socket", e.getErrorCode(), null);
        }
        return new NetlinkSocket(fd);
    }

    /** Sends a request with NLM_F_ACK and waits for the kernel's answer; {@code what} names the object. */
    public void execute(NlMsg msg, String what) {
        int s = send(msg, what);
        while (true) {
            for (NlMessage m : receive(what)) {
                if (m.seq() != s) {
                    continue;
                }
                if (m.type() == Rtnl.NLMSG_ERROR) {
                    int err = m.i32(0);
                    if (err != 0) {
                        throw new NetlinkException(what, -err, extAck(m));
                    }
                    return;
                }
            }
        }
    }

    /**
     * Sends a request carrying NLM_F_ACK and returns the kernel's answers to it (not the ack); a
     * negative ack throws. For the nfnetlink questions that answer with one message, not a dump.
     */
    public List<NlMessage> query(NlMsg msg, String what) {
        int s = send(msg, what);
        List<NlMessage> out = new ArrayList<>();
        while (true) {
            for (NlMessage m : receive(what)) {
                if (m.seq() != s) {
                    continue;
                }
                if (m.type() == Rtnl.NLMSG_ERROR) {
                    int err = m.i32(0);
                    if (err != 0) {
                        throw new NetlinkException(what, -err, extAck(m));
                    }
                    return out;
                }
                out.add(m);
            }
        }
    }

    /** Sends a dump request and collects every answer until NLMSG_DONE; retries an interrupted dump. */
    public List<NlMessage> dump(NlMsg msg, String what) {
        for (int attempt = 0; ; attempt++) {
            int s = send(msg, what);
            List<NlMessage> out = new ArrayList<>();
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                for (NlMessage m : receive(what)) {
                    if (m.seq() != s) {
                        continue;
                    }
                    if ((m.flags() & Rtnl.NLM_F_DUMP_INTR) != 0) {
                        interrupted = true;
                    }
                    if (m.type() == Rtnl.NLMSG_DONE) {
                        int err = m.payload().length >= 4 ? m.i32(0) : 0;
                        if (err < 0) {
                            throw new NetlinkException(what, -err, null);
                        }
                        done = true;
                    } else if (m.type() == Rtnl.NLMSG_ERROR) {
                        int err = m.i32(0);
                        if (err != 0) {
                            throw new NetlinkException(what, -err, extAck(m));
                        }
                        done = true;
                    } else {
                        out.add(m);
                    }
                }
            }
            if (!interrupted || attempt >= 3) {
                return out;
            }
        }
    }

    @Override
    public void close() {
        LibC.INSTANCE.close(fd);
        rxNative.close();
    }

    private int send(NlMsg msg, String what) {
        int s = ++seq;
        byte[] data = msg.build(s);
        try {
            LibC.INSTANCE.send(fd, data, data.length, 0);
        } catch (LastErrorException e) {
            throw new NetlinkException(what + " (send)", e.getErrorCode(), null);
        }
        return s;
    }

    private List<NlMessage> receive(String what) {
        long n;
        try {
            n = LibC.INSTANCE.recv(fd, rxNative, RECV_BUF, 0);
        } catch (LastErrorException e) {
            throw new NetlinkException(what + " (receive)", e.getErrorCode(), null);
        }
        byte[] into = n <= rx.length ? rx : new byte[(int) n];
        rxNative.read(0, into, 0, (int) n);
        return NlMessage.split(into, (int) n);
    }

    /** The kernel's extended-ack text after the echoed request, when it sent one. */
    static String extAck(NlMessage m) {
        if ((m.flags() & Rtnl.NLM_F_ACK_TLVS) == 0 || m.payload().length < 4 + Rtnl.NLMSG_HDRLEN) {
            return null;
        }
        int echoed = (m.flags() & Rtnl.NLM_F_CAPPED) != 0 ? Rtnl.NLMSG_HDRLEN : m.i32(4);
        int start = 4 + NlMsg.align(echoed);
        if (start > m.payload().length) {
            return null;
        }
        return NlAttrs.parse(m.payload(), start, m.payload().length).string(Rtnl.NLMSGERR_ATTR_MSG)
                .orElse(null);
    }
}
