package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.netlink.NetlinkException;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.NfacctCodec;
import io.egressgateway.adapters.linux.netlink.NlMessage;
import io.egressgateway.adapters.linux.sys.Errno;
import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import io.egressgateway.application.port.out.ReadTrafficCountersPort;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.TrafficCounter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's nfacct objects (docs/traffic-metrics.md): observed and applied on the namespace thread
 * like every other kernel object, and read by {@code /metrics} scrapes from any thread. A netlink
 * socket belongs to the namespace it was opened in, whichever thread uses it later, so both sockets
 * are opened on the namespace thread; the scrapes have their own socket and never wait for an apply.
 *
 * <p>A kernel without nfnetlink_acct answers the probe dump with an error: the counters are then
 * unsupported, the planner plans no counting rule, and the traffic metrics are absent.
 */
final class NfacctDatapath implements ReadTrafficCountersPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NfacctDatapath.class);
    private final NetlinkSocket applySocket;
    private final NetlinkSocket readSocket;

    private NfacctDatapath(NetlinkSocket applySocket, NetlinkSocket readSocket) {
        this.applySocket = applySocket;
        this.readSocket = readSocket;
    }

    /** Opens the sockets in {@code executor}'s namespace and probes the kernel once. */
    static NfacctDatapath open(NetnsExecutor executor) {
        return executor.call(() -> {
            NetlinkSocket apply = null;
            NetlinkSocket read = null;
            try {
                apply = NetlinkSocket.open(NfacctCodec.NETLINK_NETFILTER, "NETLINK_NETFILTER");
                read = NetlinkSocket.open(NfacctCodec.NETLINK_NETFILTER, "NETLINK_NETFILTER");
                apply.dump(NfacctCodec.dump(), "nfacct probe");
                return new NfacctDatapath(apply, read);
            } catch (RuntimeException e) {
                LOG.warn("traffic counters unavailable, the traffic metrics are left out: this kernel has no nfacct "
                        + "(CONFIG_NETFILTER_NETLINK_ACCT): {}", e.getMessage());
                closeQuietly(apply);
                closeQuietly(read);
                return new NfacctDatapath(null, null);
            }
        });
    }

    @Override
    public boolean supported() {
        return applySocket != null;
    }

    /** The owned objects ({@link TrafficCounter#PREFIX}), names only. Namespace thread. */
    List<TrafficCounter> observe() {
        if (!supported()) {
            return List.of();
        }
        List<TrafficCounter> out = new ArrayList<>();
        synchronized (applySocket) {
            for (NfacctCodec.Counter c : dump(applySocket)) {
                out.add(TrafficCounter.observed(c.name()));
            }
        }
        return out;
    }

    /**
     * Creates or deletes one object. An object that already exists keeps its counts (the metric must
     * not fall back to zero because a pass re-created it); one already gone counts as deleted.
     */
    void apply(DatapathOp op) {
        if (!supported()) {
            throw new IllegalStateException("this kernel has no nfacct (CONFIG_NETFILTER_NETLINK_ACCT): "
                    + op.object().key() + " cannot be " + (op.action() == DatapathOp.Action.DELETE ? "deleted" : "created"));
        }
        String name = op.object().key();
        synchronized (applySocket) {
            try {
                if (op.action() == DatapathOp.Action.DELETE) {
                    applySocket.execute(NfacctCodec.delete(name), "delete nfacct " + name);
                } else {
                    applySocket.execute(NfacctCodec.create(name), "create nfacct " + name);
                }
            } catch (NetlinkException e) {
                boolean done = op.action() == DatapathOp.Action.DELETE ? e.errno() == Errno.ENOENT : e.errno() == Errno.EEXIST;
                if (!done) {
                    throw e;
                }
            }
        }
    }

    /** Any thread: one dump on the scrapes' own socket. */
    @Override
    public Map<String, Count> read() {
        if (!supported()) {
            return Map.of();
        }
        Map<String, Count> out = new LinkedHashMap<>();
        synchronized (readSocket) {
            for (NfacctCodec.Counter c : dump(readSocket)) {
                out.put(c.name(), new Count(c.packets(), c.bytes()));
            }
        }
        return out;
    }

    private static List<NfacctCodec.Counter> dump(NetlinkSocket socket) {
        List<NfacctCodec.Counter> out = new ArrayList<>();
        for (NlMessage m : socket.dump(NfacctCodec.dump(), "dump nfacct")) {
            Optional<NfacctCodec.Counter> c = NfacctCodec.parse(m);
            c.filter(x -> x.name().startsWith(TrafficCounter.PREFIX)).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(applySocket);
        closeQuietly(readSocket);
    }

    private static void closeQuietly(NetlinkSocket s) {
        if (s != null) {
            s.close();
        }
    }
}
