package io.egressgateway.application.agent;

import io.egressgateway.application.port.out.ApiReachabilityPort;
import io.egressgateway.application.port.out.PeerWitnessPort;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a lone cut-off agent from an API server that is down for everyone (docs/agent.md, "Fencing
 * and API server outages"). While this agent's renewals fail, {@link #refresh} asks the peers in the
 * background; {@link #everyoneCutOff} is true when a recent round reached at least one peer and none
 * of them reached the API server. It also answers the peers' questions with a live probe of its own.
 */
public final class ApiOutageWitness implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiOutageWitness.class);
    private static final Duration ASK_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(1000);

    private final String nodeName;
    private final PeerWitnessPort port;
    private final Supplier<List<String>> peers;
    private final LongSupplier clockMillis;
    private final ExecutorService asker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "witness-ask");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile PeerWitnessPort.Answers last;
    private volatile long lastAtMillis;

    public ApiOutageWitness(String nodeName, PeerWitnessPort port, ApiReachabilityPort api,
                            Supplier<List<String>> peers, LongSupplier clockMillis) {
        this.nodeName = nodeName;
        this.port = port;
        this.peers = peers;
        this.clockMillis = clockMillis;
        port.serve(() -> api.reachable(PROBE_TIMEOUT));
    }

    /** Starts a round of questions unless one is running. Never blocks. */
    public void refresh() {
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        try {
            asker.execute(() -> {
                try {
                    List<String> p = peers.get();
                    PeerWitnessPort.Answers a = port.ask(p, ASK_TIMEOUT);
                    last = a;
                    lastAtMillis = clockMillis.getAsLong();
                    LOG.debug("node={} witness asked={} answered={} reachingApiServer={}", nodeName, a.asked(),
                            a.answered(), a.reachingApiServer());
                } catch (RuntimeException e) {
                    LOG.warn("node={} witness round failed: {}", nodeName, e.toString());
                } finally {
                    inFlight.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.set(false);
        }
    }

    /** True when a round at most {@code maxAgeMillis} old heard from peers and none of them reaches the API server. */
    public boolean everyoneCutOff(long maxAgeMillis) {
        PeerWitnessPort.Answers a = last;
        return a != null && clockMillis.getAsLong() - lastAtMillis <= maxAgeMillis && a.answered() > 0
                && a.reachingApiServer() == 0;
    }

    /** True when no round finished within the last {@code maxAgeMillis} (one may be running). */
    public boolean noFreshRound(long maxAgeMillis) {
        return last == null || clockMillis.getAsLong() - lastAtMillis > maxAgeMillis;
    }

    /** The last round, for logs. */
    public String describe() {
        PeerWitnessPort.Answers a = last;
        return a == null ? "no round yet" : "asked=" + a.asked() + " answered=" + a.answered() + " reachingApiServer="
                + a.reachingApiServer();
    }

    @Override
    public void close() {
        asker.shutdownNow();
        port.close();
    }
}
