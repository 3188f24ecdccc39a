package io.egressgateway.application.agent;

import io.egressgateway.application.port.out.CacheBarrier;
import io.egressgateway.application.port.out.WatchAgentStatePort;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps EIP announcements withdrawn after fencing ends until the informer cache has caught up with
 * the API server. When a fenced agent renews its Lease again, its cache still shows the world from
 * before the outage, in which this node carried the EIPs that the controller has meanwhile moved
 * away; planning from it would answer ARP for them next to their new node (FencingE2EIT saw this for
 * 1.5 s). So the gate reads the EgressGateways directly ({@link CacheBarrier}) and opens only once
 * the cache is at least that fresh. If the cache has not caught up within {@code reread} (an object
 * read was deleted since, say), it reads again.
 */
final class AnnouncementGate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnnouncementGate.class);

    private enum State { OPEN, FENCED, READING, READ_FAILED, AWAITING_CACHE }

    private final String nodeName;
    private final WatchAgentStatePort watch;
    private final Runnable requestPass;
    private final Duration reread;
    private final LongSupplier clockMillis;
    private final ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "announcement-gate");
        t.setDaemon(true);
        return t;
    });
    private State state = State.OPEN;
    private CacheBarrier barrier;
    private long barrierAtMillis;

    AnnouncementGate(String nodeName, WatchAgentStatePort watch, Runnable requestPass, Duration reread,
                     LongSupplier clockMillis) {
        this.nodeName = nodeName;
        this.watch = watch;
        this.requestPass = requestPass;
        this.reread = reread;
        this.clockMillis = clockMillis;
    }

    /** Fencing started or ended. */
    synchronized void fenceChanged(boolean fenced) {
        if (fenced) {
            state = State.FENCED;
            barrier = null;
        } else if (state == State.FENCED) {
            startRead();
        }
    }

    /** True while announcements must stay withdrawn although the node is not fenced. */
    synchronized boolean withholding() {
        switch (state) {
            case OPEN:
                return false;
            case READ_FAILED:
                startRead();
                return true;
            case AWAITING_CACHE:
                if (watch.caughtUp(barrier)) {
                    state = State.OPEN;
                    barrier = null;
                    LOG.info("node={} cache caught up with the API server; EIPs answered again", nodeName);
                    return false;
                }
                if (clockMillis.getAsLong() - barrierAtMillis > reread.toMillis()) {
                    startRead();
                }
                return true;
            default:
                return true;
        }
    }

    private void startRead() {
        state = State.READING;
        barrier = null;
        reader.execute(this::read);
    }

    private void read() {
        CacheBarrier b = null;
        try {
            b = watch.readBarrier();
        } catch (RuntimeException e) {
            LOG.warn("node={} cannot read the EgressGateways to check the cache, retrying: {}", nodeName, e.toString());
        }
        synchronized (this) {
            if (state != State.READING) {
                return; // fenced again meanwhile
            }
            if (b == null) {
                state = State.READ_FAILED;
            } else {
                state = State.AWAITING_CACHE;
                barrier = b;
                barrierAtMillis = clockMillis.getAsLong();
                // Without events nothing would look again: check once more when a re-read is due.
                reader.schedule(requestPass, reread.toMillis() + 1, TimeUnit.MILLISECONDS);
            }
        }
        requestPass.run();
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
