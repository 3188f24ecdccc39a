package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.lifecycle.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service only while this replica holds the coordination.k8s.io/v1 Lease {@value #LEASE}.
 * Each term gets a fresh service from the supplier (fresh caches and heartbeat bookkeeping). On
 * losing the Lease the service is stopped at once and the replica campaigns again; on stop the
 * Lease is released so a follower takes over without waiting for it to expire.
 */
final class KubernetesLeaderElectionAdapter implements Service {
    static final String LEASE = "egressgateway-controller";
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesLeaderElectionAdapter.class);
    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final Timings timings;
    private final Supplier<Service> term;
    private volatile boolean stopping;
    private volatile boolean leading;
    private CompletableFuture<?> election;
    private Service current;

    /** Lease duration, renew deadline, retry period (client-go defaults 15 s, 10 s, 2 s). */
    record Timings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        static Timings defaults() {
            return new Timings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        }
    }

    KubernetesLeaderElectionAdapter(KubernetesClient client, String namespace, String identity, Timings timings,
                                    Supplier<Service> term) {
        this.client = client;
        this.namespace = namespace;
        this.identity = identity;
        this.timings = timings;
        this.term = term;
    }

    @Override
    public String name() {
        return "leader-election(" + identity + ")";
    }

    boolean leading() {
        return leading;
    }

    @Override
    public synchronized void start() {
        stopping = false;
        campaign();
    }

    private synchronized void campaign() {
        if (stopping) {
            return;
        }
        var config = new LeaderElectionConfigBuilder().withName(LEASE)
                .withLock(new LeaseLock(namespace, LEASE, identity))
                .withLeaseDuration(timings.leaseDuration()).withRenewDeadline(timings.renewDeadline())
                .withRetryPeriod(timings.retryPeriod()).withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading,
                        leader -> LOG.info("controller leader is now identity={}", leader)))
                .build();
        election = client.leaderElector().withConfig(config).build().start();
        election.whenComplete((ok, err) -> {
            if (!stopping) {
                LOG.warn("identity={} left the election ({}); campaigning again", identity,
                        err == null ? "lost the lease" : err.toString());
                campaign();
            }
        });
    }

    private synchronized void startLeading() {
        LOG.info("identity={} became the controller leader", identity);
        Service s = term.get();
        try {
            s.start();
            current = s;
            leading = true;
        } catch (Exception e) {
            LOG.error("identity={} could not start the controller: {}", identity, e.toString(), e);
            s.stop();
        }
    }

    private synchronized void stopLeading() {
        if (current != null) {
            LOG.info("identity={} stops leading: stopping the controller", identity);
            current.stop();
            current = null;
        }
        leading = false;
    }

    @Override
    public void stop() {
        CompletableFuture<?> e;
        synchronized (this) {
            stopping = true;
            e = election;
        }
        if (e != null) {
            e.cancel(true); // releaseOnCancel: the follower need not wait for the lease to expire
        }
        stopLeading();
    }
}
