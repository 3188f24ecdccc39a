package io.egressgateway.application.agent;

import io.egressgateway.application.config.Settings;
import io.egressgateway.application.lifecycle.Service;
import io.egressgateway.application.port.in.ReconcileNodeDatapathUseCase;
import io.egressgateway.application.port.out.RenewHeartbeatPort;
import io.egressgateway.application.port.out.WatchAgentStatePort;
import io.egressgateway.domain.model.Gateway;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent role's loop: informer events and fencing changes trigger a coalesced pass, a timer
 * triggers a resync pass that repairs drift, the heartbeat runs beside. Stopping releases nothing in
 * the kernel: the datapath, EIP answering included, stays as it is, so a rolling upgrade of the agent
 * costs no traffic; the next start observes and reconciles (api.md, "SIGTERM releases nothing").
 */
public final class AgentService implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);

    private final String nodeName;
    private final Settings settings;
    private final WatchAgentStatePort watch;
    private final ReconcileNodeDatapathUseCase reconciler;
    private final AtomicReference<CoalescingTrigger> trigger = new AtomicReference<>();
    private final Heartbeat heartbeat;
    private final AnnouncementGate gate;
    private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "resync");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean lastPassOk;
    private volatile ApiOutageWitness witness;
    private volatile io.egressgateway.application.port.out.PeerWitnessPort witnessPeers;
    /** System.nanoTime() when the last pass ended (or the agent started), and when the running one began (0: none). */
    private volatile long lastPassEndNanos = System.nanoTime();
    private volatile long passStartNanos;

    /**
     * Builds the loop; {@code reconcilerFactory} receives the fencing state it must plan with: fenced
     * by the heartbeat, or just unfenced and the cache not yet caught up ({@link AnnouncementGate}).
     */
    public AgentService(String nodeName, Settings settings, WatchAgentStatePort watch, RenewHeartbeatPort renew,
                        AgentStats stats, java.util.function.Function<java.util.function.BooleanSupplier,
                        ReconcileNodeDatapathUseCase> reconcilerFactory) {
        this.nodeName = nodeName;
        this.settings = settings;
        this.watch = watch;
        this.gate = new AnnouncementGate(nodeName, watch, this::requestPass, settings.heartbeat().evictionTimeout(),
                System::currentTimeMillis);
        this.heartbeat = new Heartbeat(nodeName, renew, settings.heartbeat(), this::isGatewayNode,
                this::fenceChanged, stats, System::currentTimeMillis);
        this.reconciler = reconcilerFactory.apply(() -> heartbeat.fenced() || gate.withholding());
    }

    /**
     * Before fencing, ask the other nodes' agents over {@code peers} whether they reach the API server
     * ({@link ApiOutageWitness}); also answers their questions with {@code api}. Call before {@link #start()}.
     */
    public void enableApiOutageWitness(io.egressgateway.application.port.out.PeerWitnessPort peers,
                                       io.egressgateway.application.port.out.ApiReachabilityPort api) {
        witness = new ApiOutageWitness(nodeName, peers, api, this::peerAddresses, System::currentTimeMillis);
        witnessPeers = peers;
        heartbeat.holdFencingWhenEveryoneIsCutOff(witness);
    }

    /**
     * One underlay address per other node, from the last snapshot (none before the caches sync): its
     * IPv4 one, else its IPv6 one (an IPv6-only underlay).
     */
    private java.util.List<String> peerAddresses() {
        try {
            return watch.snapshot().egressNodes().stream().filter(n -> !n.name().equals(nodeName))
                    .map(n -> present(n.physicalInterfaceIPv4()) ? n.physicalInterfaceIPv4() : n.physicalInterfaceIPv6())
                    .filter(AgentService::present).toList();
        } catch (RuntimeException e) {
            return java.util.List.of();
        }
    }

    /** The service that reads the witness key for the witness, if the witness is enabled. */
    public java.util.Optional<io.egressgateway.application.lifecycle.Service> witnessKey(
            io.egressgateway.application.port.out.WitnessKeyPort keys) {
        var peers = witnessPeers;
        return peers == null ? java.util.Optional.empty()
                : java.util.Optional.of(WitnessKeyService.reading(keys, peers::useKey));
    }

    private static boolean present(String address) {
        return address != null && !address.isBlank();
    }

    @Override
    public String name() {
        return "agent node=" + nodeName;
    }

    @Override
    public void start() {
        CoalescingTrigger t = new CoalescingTrigger("agent-pass", settings.agent().coalesceInterval(),
                Duration.ofSeconds(30), resync -> {
                    passStartNanos = System.nanoTime();
                    try {
                        ReconcileNodeDatapathUseCase.PassResult r = reconciler.reconcile(resync);
                        lastPassOk = r.ok();
                        return r.skipped() || r.ok();
                    } catch (RuntimeException e) {
                        lastPassOk = false;
                        throw e;
                    } finally {
                        passStartNanos = 0;
                        lastPassEndNanos = System.nanoTime();
                    }
                });
        trigger.set(t);
        heartbeat.start();
        watch.start(this::requestPass);
        long period = settings.agent().resyncInterval().toMillis();
        // an exception escaping a fixed-rate task cancels it silently: never let one out
        resync.scheduleAtFixedRate(() -> {
            try {
                t.requestResync();
            } catch (RuntimeException e) {
                LOG.warn("node={} resync request failed: {}", nodeName, e.toString(), e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        LOG.info("agent started node={} coalesce={} resync={}", nodeName, settings.agent().coalesceInterval(),
                settings.agent().resyncInterval());
    }

    /** Caches synced and the last pass applied everything. */
    public boolean ready() {
        return watch.synced() && lastPassOk;
    }

    /**
     * Liveness: the heartbeat keeps beating and passes keep ending. A resync asks for a pass every
     * {@code agent.resyncInterval} and failed passes are retried within 30 s, so a loop with no pass
     * ending for twice that plus a minute, or one pass running that long, is stuck. A failing pass
     * is alive (readiness says it failed); a restart would not fix what makes it fail.
     */
    public io.egressgateway.application.lifecycle.ReadinessCheck.Result liveness() {
        return liveness(settings.agent().resyncInterval().multipliedBy(2).plusSeconds(90),
                settings.heartbeat().interval().multipliedBy(3).plusSeconds(60));
    }

    /** {@link #liveness()} with the limits given (tests). */
    public io.egressgateway.application.lifecycle.ReadinessCheck.Result liveness(Duration stuck, Duration beatStuck) {
        if (!heartbeat.ticking(beatStuck)) {
            return io.egressgateway.application.lifecycle.ReadinessCheck.Result.failing(
                    "heartbeat not ticking for more than " + beatStuck.toSeconds() + " s");
        }
        long now = System.nanoTime();
        long running = passStartNanos;
        if (running != 0 && now - running > stuck.toNanos()) {
            return io.egressgateway.application.lifecycle.ReadinessCheck.Result.failing(
                    "a datapath pass has been running for " + (now - running) / 1_000_000 + " ms");
        }
        if (running == 0 && now - lastPassEndNanos > stuck.toNanos()) {
            return io.egressgateway.application.lifecycle.ReadinessCheck.Result.failing(
                    "no datapath pass for " + (now - lastPassEndNanos) / 1_000_000 + " ms");
        }
        return io.egressgateway.application.lifecycle.ReadinessCheck.Result.ok("heartbeat ticking, passes ending");
    }

    /** Fenced by the heartbeat: the node withdrew its EIPs because it could not renew its Lease. */
    public boolean fenced() {
        return heartbeat.fenced();
    }

    public long heartbeatAgeMillis() {
        return heartbeat.ageMillis();
    }

    private void fenceChanged() {
        gate.fenceChanged(heartbeat.fenced());
        requestPass();
    }

    private void requestPass() {
        CoalescingTrigger t = trigger.get();
        if (t != null) {
            t.request();
        }
    }

    /** A gateway candidate: listed by some gateway's status. Before the caches sync, assume so. */
    private boolean isGatewayNode() {
        if (!watch.synced()) {
            // A restarted gateway agent renewing on the slow schedule would be evicted (5 s) before
            // its next renewal (10 s), and its EIPs moved on every rolling upgrade.
            return true;
        }
        for (Gateway g : watch.snapshot().gateways()) {
            if (g.status() != null && g.status().nodeList().stream().anyMatch(n -> n.name().equals(nodeName))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void stop() {
        resync.shutdownNow();
        heartbeat.close();
        if (witness != null) {
            witness.close();
        }
        gate.close();
        CoalescingTrigger t = trigger.getAndSet(null);
        if (t != null) {
            t.close();
        }
        watch.stop();
        LOG.info("agent stopped node={}; the datapath is left in place", nodeName);
    }
}
