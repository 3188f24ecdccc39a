package io.egressgateway.application.agent;

import io.egressgateway.application.config.Settings;
import io.egressgateway.application.port.out.RenewHeartbeatPort;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this node's Lease: every {@code heartbeat.gatewayInterval} while the node is a gateway
 * candidate (or before it knows whether it is one), every {@code heartbeat.interval} otherwise. It also decides fencing: when the Lease has
 * not been renewed for {@code evictionTimeout - 2 x gatewayInterval}, the controller is about to move
 * this node's EIPs, so the node stops answering for them before another node starts (an EIP is never
 * answered by two nodes at once). {@code onFenceChange} runs when fencing starts or ends.
 *
 * <p>Both clocks are read on the safe side. A renewal counts from when its request was sent, not
 * when the answer came: the controller may see the new renewTime before this agent hears back. And a
 * freshly started agent does not know when its Lease was last renewed (its predecessor may have
 * stopped long ago, and the controller's timer has been running since), so until its first renewal
 * succeeds a failing renewal fences at once.
 */
public final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final String nodeName;
    private final RenewHeartbeatPort port;
    private final Settings.Heartbeat settings;
    private final BooleanSupplier isGatewayNode;
    private final Runnable onFenceChange;
    private final AgentStats stats;
    private final LongSupplier clockMillis;
    // Two threads: a renewal may block for as long as the client retries an unreachable API server,
    // and fencing must be decided on time all the same.
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "heartbeat");
        t.setDaemon(true);
        return t;
    });
    /** When the last successful renewal was sent; meaningful once {@link #renewedOnce}. */
    private volatile long lastRenewedMillis;
    private volatile boolean renewedOnce;
    private volatile boolean fenced;
    /** Asks the peers whether the API server is down for everyone; null: never hold fencing. */
    private volatile ApiOutageWitness witness;
    private volatile boolean holding;
    /** When the renewal now in flight started, or -1; a renewal hanging longer than gatewayInterval is failing. */
    private volatile long attemptStartedMillis = -1;
    private volatile boolean lastAttemptFailed;
    /** System.nanoTime() when the last beat started: liveness asks whether beats keep coming. */
    private volatile long lastBeatNanos = System.nanoTime();

    public Heartbeat(String nodeName, RenewHeartbeatPort port, Settings.Heartbeat settings, BooleanSupplier isGatewayNode,
                     Runnable onFenceChange, AgentStats stats, LongSupplier clockMillis) {
        this.nodeName = nodeName;
        this.port = port;
        this.settings = settings;
        this.isGatewayNode = isGatewayNode;
        this.onFenceChange = onFenceChange;
        this.stats = stats;
        this.clockMillis = clockMillis;
        this.lastRenewedMillis = clockMillis.getAsLong();
    }

    public void start() {
        lastBeatNanos = System.nanoTime();
        executor.execute(this::beat);
        long tick = Math.max(50, settings.gatewayInterval().toMillis() / 4);
        // an exception escaping a fixed-rate task cancels it silently: never let one out
        executor.scheduleAtFixedRate(() -> {
            try {
                updateFence(clockMillis.getAsLong());
            } catch (RuntimeException e) {
                LOG.warn("node={} fencing check failed: {}", nodeName, e.toString(), e);
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether beats keep coming: the last one started less than {@code stuckAfter} ago. A renewal that
     * hangs (an unreachable API server) holds its beat, and fencing handles that; a heartbeat whose
     * task ended would show here.
     */
    public boolean ticking(Duration stuckAfter) {
        return System.nanoTime() - lastBeatNanos < stuckAfter.toNanos() && !executor.isShutdown();
    }

    /**
     * Consults {@code w} before fencing: when every peer that answers is cut off from the API server
     * too, nobody can move this node's EIPs, so fencing holds (docs/agent.md, "API server outages").
     */
    public void holdFencingWhenEveryoneIsCutOff(ApiOutageWitness w) {
        this.witness = w;
    }

    /** True while this node must not answer for its EIPs. */
    public boolean fenced() {
        return fenced;
    }

    /** Milliseconds since the Lease was last renewed (a metric). */
    public long ageMillis() {
        return clockMillis.getAsLong() - lastRenewedMillis;
    }

    /**
     * Runs every {@code gatewayInterval}; renews when this node is a gateway candidate (or does not
     * know yet), when the last renewal failed, or when the slow interval is up. Deciding on every
     * tick rather than scheduling the next renewal one slow interval ahead means a node that becomes
     * a candidate switches to the fast schedule within one tick, before the controller, which judges
     * candidates by {@code evictionTimeout}, counts it silent.
     */
    void beat() {
        lastBeatNanos = System.nanoTime();
        try {
            renewIfDue();
        } catch (RuntimeException e) {
            // e.g. deciding "gateway candidate?" from a snapshot that failed: renew anyway next tick
            lastAttemptFailed = true;
            LOG.warn("node={} heartbeat tick failed: {}", nodeName, e.toString(), e);
        } finally {
            // always reschedule: one exception used to end the heartbeat for good, silently
            if (!executor.isShutdown()) {
                try {
                    executor.schedule(this::beat, settings.gatewayInterval().toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.debug("node={} heartbeat stopped", nodeName);
                }
            }
        }
    }

    private void renewIfDue() {
        long sent = clockMillis.getAsLong();
        boolean due;
        try {
            due = isGatewayNode.getAsBoolean() || lastAttemptFailed || !renewedOnce
                    || sent - lastRenewedMillis >= settings.interval().toMillis() - settings.gatewayInterval().toMillis() / 2;
        } catch (RuntimeException e) {
            LOG.warn("node={} could not tell whether it is a gateway candidate ({}); renewing as one", nodeName,
                    e.toString());
            due = true;
        }
        long now = sent;
        if (due) {
            boolean renewed;
            attemptStartedMillis = sent;
            try {
                renewed = port.renew(nodeName);
            } catch (RuntimeException e) {
                // debug only after the first: an API server outage would log every second otherwise
                if (!lastAttemptFailed) {
                    LOG.warn("node={} heartbeat renewal failed: {}", nodeName, e.toString());
                } else {
                    LOG.debug("node={} heartbeat renewal failed: {}", nodeName, e.toString());
                }
                renewed = false;
            }
            now = clockMillis.getAsLong();
            attemptStartedMillis = -1;
            lastAttemptFailed = !renewed;
            if (renewed) {
                lastRenewedMillis = sent;
                if (!renewedOnce) {
                    // a restarted gateway agent must renew well inside evictionTimeout, or every upgrade is a failover
                    LOG.info("node={} first heartbeat renewal {} ms after the process started", nodeName,
                            ProcessHandle.current().info().startInstant()
                                    .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L));
                }
                renewedOnce = true;
                stats.recordHeartbeat(now);
            }
        }
        updateFence(now);
    }

    /** Tests: as if the last renewal had failed. */
    void markFailedForTest() {
        lastAttemptFailed = true;
    }

    /** Tests: as if a renewal sent at {@code sentMillis} had succeeded. */
    void markRenewedForTest(long sentMillis) {
        lastRenewedMillis = sentMillis;
        renewedOnce = true;
        lastAttemptFailed = false;
    }

    synchronized void updateFence(long now) {
        long limit = settings.evictionTimeout().toMillis() - 2 * settings.gatewayInterval().toMillis();
        long started = attemptStartedMillis;
        // Only a failing renewal fences: a node on the slow 10 s schedule is old but not lost.
        boolean failing = lastAttemptFailed || (started >= 0 && now - started > settings.gatewayInterval().toMillis());
        boolean expired = !renewedOnce || now - lastRenewedMillis > Math.max(0, limit);
        boolean shouldFence = settings.fence() && failing && expired;
        ApiOutageWitness w = witness;
        if (w != null && failing) {
            w.refresh();
        }
        // Only a node not yet fenced may hold: once fenced, its EIPs may have moved, and it answers
        // again only after its own renewal succeeds (and the announcement gate lets it).
        long maxAge = 2 * settings.gatewayInterval().toMillis() + 2500;
        if (shouldFence && !fenced && w != null && w.everyoneCutOff(maxAge)) {
            if (!holding) {
                holding = true;
                LOG.warn("node={} fencing held: renewals fail for {} ms, but no peer reaches the API server either ({}):"
                        + " an API server outage, in which nobody can move this node's EIPs", nodeName,
                        now - lastRenewedMillis, w.describe());
            }
            shouldFence = false;
        } else if (shouldFence && !fenced && w != null && renewedOnce && w.noFreshRound(maxAge)
                && now - lastRenewedMillis <= limit + settings.gatewayInterval().toMillis()) {
            // the peers have not answered yet: wait for them, at most one gatewayInterval (the fence then
            // still comes a gatewayInterval before the controller may evict this node)
            shouldFence = false;
        } else if (holding && (!failing || shouldFence)) {
            holding = false;
            LOG.warn("node={} fencing hold ends: {}", nodeName, failing ? "a peer reaches the API server ("
                    + (w == null ? "" : w.describe()) + ")" : "renewals succeed again");
        }
        if (shouldFence != fenced) {
            fenced = shouldFence;
            LOG.warn("node={} fencing={} heartbeatAgeMs={}", nodeName, shouldFence ? "on: EIPs no longer answered"
                    : "off: EIPs answered again", now - lastRenewedMillis);
            onFenceChange.run();
        }
    }

    /**
     * Stops renewing. A healthy heartbeat first renews once more, marked "restarting" (SIGTERM is what a
     * rolling upgrade sends): the controller then waits {@code interval + evictionTimeout} instead of
     * {@code evictionTimeout} for the next agent, whose JVM start must not move this node's EIPs.
     * Bounded by {@code gatewayInterval}, so an unreachable API server never holds the exit.
     */
    @Override
    public void close() {
        if (renewedOnce && !lastAttemptFailed && !fenced && !executor.isShutdown()) {
            try {
                boolean marked = executor.submit(() -> port.renewRestarting(nodeName))
                        .get(settings.gatewayInterval().toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("node={} heartbeat stopped; Lease marked restarting={}", nodeName, marked);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                     | java.util.concurrent.RejectedExecutionException e) {
                LOG.warn("node={} heartbeat stopped; Lease not marked restarting: {}", nodeName, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdownNow();
    }
}
