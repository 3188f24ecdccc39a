package io.egressgateway.adapters.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * Hostile and heavy clients against one server on 127.0.0.1, until {@link #close}: slowloris
 * connections (handshake, then a request header one byte per tick, reconnecting when cut off) on
 * the admission and health ports, slow readers (send reviews and {@code /metrics} requests without
 * ever reading an answer) and a flood of well-formed reviews from closed-loop clients. Shared by
 * {@code AdmissionUnderAttackIT} (what must hold) and {@code WebhookLoadBench} (the figures).
 */
final class WebhookLoad implements AutoCloseable {
    /** How many of each; {@code tick} paces the slowloris bytes. */
    record Plan(int slowloris, int healthSlowloris, int slowReaders, int metricsSlowReaders, int flooders, Duration tick) {
    }

    /** Latencies in nanoseconds, for percentiles after the run. */
    static final class Latencies {
        private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

        void add(long n) {
            nanos.add(n);
        }

        int count() {
            return nanos.size();
        }

        /** The q-quantile (0..1) in milliseconds, nearest rank; NaN when empty. */
        double millis(double q) {
            List<Long> sorted;
            synchronized (nanos) {
                sorted = new ArrayList<>(nanos);
            }
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            Collections.sort(sorted);
            int rank = (int) Math.ceil(q * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank))) / 1e6;
        }
    }

    final Latencies flood = new Latencies();
    final AtomicLong floodAnswered = new AtomicLong();
    final AtomicLong floodOverloaded = new AtomicLong();
    final AtomicLong floodNotSent = new AtomicLong();
    final AtomicLong floodLost = new AtomicLong();
    final AtomicLong slowConnects = new AtomicLong();
    final AtomicLong slowCutOff = new AtomicLong();
    final AtomicLong slowReadersCutOff = new AtomicLong();

    private final int admissionPort;
    private final int healthPort;
    private final int metricsPort;
    private final SSLContext tls;
    private final Plan plan;
    private final byte[] review;
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "load-slowloris");
        t.setDaemon(true);
        return t;
    });
    private final List<Thread> threads = new ArrayList<>();
    private final Set<RawHttp> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stop;

    WebhookLoad(WebhookServer server, SSLContext tls, Plan plan, String reviewBody) {
        this.admissionPort = server.admissionPort();
        this.healthPort = server.healthPort();
        this.metricsPort = server.metricsPort();
        this.tls = tls;
        this.plan = plan;
        this.review = RawHttp.post("/validate-controller-owned", reviewBody, false);
    }

    WebhookLoad start() {
        for (int i = 0; i < plan.slowloris(); i++) {
            slowloris(true, "POST /validate-egressgateway HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
        }
        for (int i = 0; i < plan.healthSlowloris(); i++) {
            slowloris(false, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
        }
        for (int i = 0; i < plan.slowReaders(); i++) {
            thread("load-slow-reader", () -> slowReader(true, review));
        }
        for (int i = 0; i < plan.metricsSlowReaders(); i++) {
            thread("load-slow-reader", () -> slowReader(false, RawHttp.get("/metrics", false)));
        }
        for (int i = 0; i < plan.flooders(); i++) {
            thread("load-flood", this::flood);
        }
        return this;
    }

    private void thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** One slow connection, re-made whenever the server cuts it off; one step per tick. */
    private void slowloris(boolean admission, String head) {
        RawHttp[] conn = new RawHttp[1];
        Runnable step = new Runnable() {
            @Override
            public void run() {
                if (stop) {
                    return;
                }
                try {
                    if (conn[0] == null) {
                        conn[0] = admission ? RawHttp.tls(tls, admissionPort, 2000) : RawHttp.plain(healthPort, 2000);
                        open.add(conn[0]);
                        slowConnects.incrementAndGet();
                        conn[0].write(head.getBytes(StandardCharsets.US_ASCII));
                    } else {
                        conn[0].write(new byte[] {'a'});
                    }
                } catch (IOException e) {
                    if (conn[0] != null) {
                        slowCutOff.incrementAndGet();
                        open.remove(conn[0]);
                        conn[0].close();
                        conn[0] = null;
                    }
                }
                if (!stop) {
                    ticker.schedule(this, plan.tick().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        };
        ticker.schedule(step, (long) (Math.random() * plan.tick().toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Sends requests and never reads an answer: the writes block once the buffers fill, until the server gives up. */
    private void slowReader(boolean admission, byte[] request) {
        while (!stop) {
            RawHttp c = null;
            try {
                c = admission ? RawHttp.tls(tls, admissionPort, 2000, 4096) : RawHttp.plain(metricsPort, 2000, 4096);
                open.add(c);
                while (!stop) {
                    c.write(request);
                }
            } catch (IOException e) {
                if (c != null && !stop) {
                    slowReadersCutOff.incrementAndGet();
                }
            } finally {
                if (c != null) {
                    open.remove(c);
                    c.close();
                }
            }
        }
    }

    /** A closed-loop client with one keep-alive connection, re-made when lost. */
    private void flood() {
        RawHttp c = null;
        while (!stop) {
            try {
                if (c == null) {
                    c = RawHttp.tls(tls, admissionPort, 30_000);
                    open.add(c);
                }
                long t0 = System.nanoTime();
                RawHttp.Response r = c.exchange(review);
                long dt = System.nanoTime() - t0;
                if (r.status() == 200) {
                    floodAnswered.incrementAndGet();
                    flood.add(dt);
                } else if (r.status() == 503) {
                    floodOverloaded.incrementAndGet();
                } else {
                    floodLost.incrementAndGet();
                }
            } catch (IOException e) {
                if (!stop) {
                    (e instanceof RawHttp.NotSent ? floodNotSent : floodLost).incrementAndGet();
                }
                if (c != null) {
                    open.remove(c);
                    c.close();
                    c = null;
                }
            }
        }
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        ticker.shutdownNow();
        open.forEach(RawHttp::close);
        for (Thread t : threads) {
            t.join(10_000);
        }
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        open.forEach(RawHttp::close);
    }
}
