package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.ipset.IpsetDatapath;
import io.egressgateway.adapters.linux.iptables.IptablesDatapath;
import io.egressgateway.adapters.linux.iptables.IptablesTool;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import io.egressgateway.adapters.linux.sys.ProcessRunner;
import io.egressgateway.adapters.linux.sys.Sysctls;
import io.egressgateway.application.config.Settings.ChainInsertMode;
import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.application.port.out.ApplyDatapathPort;
import io.egressgateway.application.port.out.ApplyDatapathPort.ApplyReport;
import io.egressgateway.application.port.out.DeleteConnectionsPort;
import io.egressgateway.application.port.out.ObserveDatapathPort;
import io.egressgateway.application.port.out.ReadNodeFactsPort;
import io.egressgateway.application.port.out.ReadTrafficCountersPort;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.datapath.Sysctl;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Linux adapter's only entry point (Guice-free; bootstrap wires it): the three datapath ports for
 * one network namespace, all running on one {@link NetnsExecutor} thread that entered it.
 *
 * <pre>{@code
 * try (LinuxDatapath dp = LinuxDatapath.open(Optional.of("egw-ab12cd-node1"), IptablesBackend.AUTO)) {
 *     Datapath actual = dp.observePort().observe(scope);
 *     ApplyReport report = dp.applyPort().apply(DatapathDiff.between(desired, actual));
 * }
 * }</pre>
 */
public final class LinuxDatapath implements AutoCloseable {

    private static final Pattern DELETED = Pattern.compile("(\\d+) flow entries have been deleted");
    private final NetnsExecutor executor;
    private final NetlinkSocket socket;
    private final NfacctDatapath nfacct;
    private final PacketAnnouncer announcer;
    private final EipResponder responder = new EipResponder();
    private final Lazy<IptablesDatapath> iptables;
    private final IpsetDatapath ipset = new IpsetDatapath();
    private final ObserveDatapathPort observe;
    private final ApplyDatapathPort apply;
    private final ReadNodeFactsPort facts;
    private final DeleteConnectionsPort connections = new LinuxDeleteConnectionsAdapter(this);
    private volatile CompletableFuture<Void> lastAnnouncement = CompletableFuture.completedFuture(null);

    private LinuxDatapath(NetnsExecutor executor, IptablesBackend backend, ChainInsertMode insertMode) {
        this.executor = executor;
        this.socket = executor.call(NetlinkSocket::open);
        this.nfacct = NfacctDatapath.open(executor);
        this.announcer = new PacketAnnouncer(executor.sibling(threadName(executor) + "-announce"));
        // resolved on the namespace thread, where every caller of this supplier runs
        this.iptables = new Lazy<>(() -> new IptablesDatapath(IptablesTool.resolve(backend),
                new io.egressgateway.adapters.linux.iptables.JumpPlacement(insertMode, System::nanoTime)));
        NetlinkObserver observer = new NetlinkObserver(socket, responder);
        NetlinkApplier applier = new NetlinkApplier(socket, responder);
        this.observe = new LinuxObserveDatapathAdapter(this, observer, iptables, ipset);
        this.apply = new LinuxApplyDatapathAdapter(this, applier, iptables, ipset, announcer);
        this.facts = new LinuxNodeFactsAdapter(this, observer);
    }

    /**
     * Opens the datapath of {@code netns} (empty: the agent's own namespace). Fails at once when the
     * namespace cannot be entered. EIPs are answered (ARP/NDP) by this object while it is open.
     */
    public static LinuxDatapath open(Optional<String> netns, IptablesBackend backend) {
        return open(netns, backend, ChainInsertMode.INSERT);
    }

    /** As above, with where the jumps go in built-in chains ({@code iptables.chainInsertMode}). */
    public static LinuxDatapath open(Optional<String> netns, IptablesBackend backend, ChainInsertMode insertMode) {
        NetnsExecutor executor = NetnsExecutor.open(netns, "egw-datapath-" + netns.orElse("host"));
        try {
            return new LinuxDatapath(executor, backend, insertMode);
        } catch (RuntimeException e) {
            executor.close();
            throw e;
        }
    }

    public ObserveDatapathPort observePort() {
        return observe;
    }

    public ApplyDatapathPort applyPort() {
        return apply;
    }

    public ReadNodeFactsPort nodeFactsPort() {
        return facts;
    }

    /** Deletes the conntrack entries of connections pinned to a lost gateway ({@link #deleteConnections}). */
    public DeleteConnectionsPort deleteConnectionsPort() {
        return connections;
    }

    /**
     * The kernel's traffic counters, read by {@code /metrics} scrapes from their own thread;
     * {@code supported()} is false on a kernel without nfacct (docs/traffic-metrics.md).
     */
    public ReadTrafficCountersPort trafficCountersPort() {
        return nfacct;
    }

    NfacctDatapath nfacct() {
        return nfacct;
    }

    /** The thread every datapath action runs on; tests and the testbed may run their own work on it. */
    public NetnsExecutor executor() {
        return executor;
    }

    /** Removes every owned object in {@code scope} (observe, then delete all): the agent's cleanup command. */
    public ApplyReport cleanup(OwnershipScope scope) {
        Datapath actual = observe.observe(scope);
        return apply.apply(DatapathDiff.between(Datapath.empty(), actual));
    }

    /** Current values in {@code netns} (or this process's namespace); a path this kernel lacks is absent. */
    public static Map<String, String> readSysctls(Optional<String> netns, Collection<String> paths) {
        try (NetnsExecutor e = NetnsExecutor.open(netns, "egw-sysctl-read")) {
            return e.call(() -> {
                Map<String, String> m = new LinkedHashMap<>();
                paths.forEach(p -> Sysctls.read(p).ifPresent(v -> m.put(p, v)));
                return m;
            });
        }
    }

    /** Writes each value that differs from what the namespace has; returns "path before -> after" per write. */
    public static List<String> writeSysctls(Optional<String> netns, List<Sysctl> wanted) {
        try (NetnsExecutor e = NetnsExecutor.open(netns, "egw-sysctl-write")) {
            return e.call(() -> {
                List<String> changed = new ArrayList<>();
                for (Sysctl s : wanted) {
                    String before = Sysctls.read(s.path()).orElse("(missing)");
                    if (!before.equals(s.value())) {
                        Sysctls.write(s.path(), s.value());
                        changed.add(s.path() + " " + before + " -> " + s.value());
                    }
                }
                return changed;
            });
        }
    }

    /**
     * The rp_filter the kernel applies on {@code device}: the larger of {@code all} and the device's
     * own value (0 off, 1 strict, 2 loose). Strict on a tunnel drops replies whose source has no
     * route back through it; the agent reports that as a condition.
     */
    public int effectiveRpFilter(String device) {
        return executor.call(() -> Math.max(
                Integer.parseInt(Sysctls.read("net/ipv4/conf/all/rp_filter").orElse("0")),
                Integer.parseInt(Sysctls.read("net/ipv4/conf/" + device + "/rp_filter").orElse("0"))));
    }

    /**
     * Deletes the connection-tracking entries whose connmark matches {@code mark/mask} in one family
     * and returns how many went. The agent calls it (through {@link #deleteConnectionsPort()}) for the
     * pins of lost gateways ({@code PinnedMarks.lost}), with the owned bits as the mask: connections
     * pinned to a lost gateway are then tracked, decided and NATed afresh on their next packet
     * instead of keeping a stale entry until it times out.
     */
    public int deleteConnections(Family family, long mark, long mask) {
        return executor.call(() -> {
            ProcessRunner.Result r = ProcessRunner.run(List.of(ProcessRunner.locate("conntrack").toString(), "-D", "-f",
                    family == Family.IPV4 ? "ipv4" : "ipv6", "--mark", Marks.hex(mark) + "/" + Marks.hex(mask)), null);
            Matcher m = DELETED.matcher(r.stderr());
            if (!m.find()) {
                throw new IllegalStateException("conntrack -D --mark " + Marks.hex(mark) + " failed (exit "
                        + r.exitCode() + "): " + r.stderr().strip());
            }
            return Integer.parseInt(m.group(1));
        });
    }

    /** The iptables backend in use (resolving AUTO on first call). */
    public IptablesBackend iptablesBackend() {
        return executor.call(() -> iptables.get().tool().backend());
    }

    /** Completes when the gratuitous ARP / NA rounds of the last apply have been sent. */
    public CompletableFuture<Void> lastAnnouncement() {
        return lastAnnouncement;
    }

    void lastAnnouncement(CompletableFuture<Void> f) {
        lastAnnouncement = f;
    }

    @Override
    public void close() {
        responder.close();
        announcer.close();
        nfacct.close();
        try {
            executor.run(() -> {
                socket.close();
                ipset.close();
                iptables.peek().ifPresent(IptablesDatapath::close);
            });
        } finally {
            executor.close();
        }
    }

    private static String threadName(NetnsExecutor e) {
        return "egw-datapath-" + e.netns().orElse("host");
    }

    /** Made on first use; {@link #peek} tells whether it was. */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> make;
        private T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = make.get();
            }
            return value;
        }

        synchronized Optional<T> peek() {
            return Optional.ofNullable(value);
        }
    }
}
