package io.egressgateway.adapters.webhook;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A well-behaved client measured under load: the API server (reviews on a kept connection) or
 * kubelet (a new connection per probe). As Go's HTTP client does, a request whose connection was
 * lost before the request left is sent again on a new one; any other failure is the caller's.
 */
final class ProbeClient implements AutoCloseable {
    interface Connect {
        RawHttp open() throws IOException;
    }

    final WebhookLoad.Latencies latencies = new WebhookLoad.Latencies();
    final AtomicLong resent = new AtomicLong();
    private final Connect connect;
    private final boolean keepAlive;
    private RawHttp conn;

    ProbeClient(Connect connect, boolean keepAlive) {
        this.connect = connect;
        this.keepAlive = keepAlive;
    }

    RawHttp.Response send(byte[] request) throws IOException {
        long t0 = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                if (conn == null) {
                    conn = connect.open();
                }
                RawHttp.Response r = conn.exchange(request);
                latencies.add(System.nanoTime() - t0);
                if (!keepAlive) {
                    close();
                }
                return r;
            } catch (RawHttp.NotSent e) {
                close();
                if (attempt == 3) {
                    throw e;
                }
                resent.incrementAndGet();
            } catch (IOException e) {
                close();
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (conn != null) {
            conn.close();
            conn = null;
        }
    }
}
