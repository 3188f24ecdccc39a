package io.egressgateway.testbed.kube;

import io.egressgateway.testbed.netns.NetnsThread;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay from a port of 127.0.0.1 to the API server. Two uses: the way into the control plane's
 * network namespace ({@link #into}: every connection is dialled from inside that namespace, so the
 * machine's own namespace gets no address or route), and one agent's private path
 * ({@link #start(int)}), which a test can cut (every connection closed, new ones refused) while the rest
 * of the cluster keeps talking to the API server: an API server outage as one node sees it. TLS passes
 * through untouched: 127.0.0.1 is in the API server's certificate on both sides.
 */
public final class ApiProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiProxy.class);

    /** Opens the upstream connection of one relayed connection. */
    @FunctionalInterface
    public interface Dialer {
        Socket dial() throws IOException;
    }

    private final Dialer dialer;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean cut;
    private final ServerSocket server;
    private final Thread acceptor;

    private ApiProxy(Dialer dialer, int port) throws IOException {
        this.dialer = dialer;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.acceptor = new Thread(this::acceptLoop, "api-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A relay to {@code targetPort} of 127.0.0.1 in this namespace, on a free port. */
    public static ApiProxy start(int targetPort) {
        return start(() -> new Socket(InetAddress.getLoopbackAddress(), targetPort), 0);
    }

    /**
     * A relay on {@code port} (0: a free one) of this namespace's 127.0.0.1 to {@code targetPort} of
     * 127.0.0.1 inside network namespace {@code netns}.
     */
    public static ApiProxy into(String netns, int targetPort, int port) {
        return start(() -> {
            try {
                return NetnsThread.call(netns, Duration.ofSeconds(5),
                        () -> new Socket(InetAddress.getLoopbackAddress(), targetPort));
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot dial 127.0.0.1:" + targetPort + " in netns " + netns + ": " + e, e);
            }
        }, port);
    }

    private static ApiProxy start(Dialer dialer, int port) {
        try {
            return new ApiProxy(dialer, port);
        } catch (java.net.BindException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + " for the API relay: the port is in use"
                    + " (choose another, or 0 for a free one)", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + " for the API relay: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "https://127.0.0.1:" + server.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    /** Closes every relayed connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(ApiProxy::closeQuietly);
        open.clear();
        LOG.info("api-proxy port={} cut", server.getLocalPort());
    }

    public void restore() {
        cut = false;
        LOG.info("api-proxy port={} restored", server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream;
                try {
                    upstream = dialer.dial();
                } catch (IOException e) {
                    LOG.debug("api-proxy port={} cannot dial upstream: {}", server.getLocalPort(), e.toString());
                    closeQuietly(client);
                    continue;
                }
                accepted.incrementAndGet();
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("api-proxy accept failed: {}", e.toString());
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed, or the proxy was cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "api-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        cut();
        closeQuietly(server);
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
