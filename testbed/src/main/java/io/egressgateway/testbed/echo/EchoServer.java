package io.egressgateway.testbed.echo;

import io.egressgateway.testbed.netns.NetnsThread;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The external host's witness: a TCP and UDP server on one port, bound to the wildcard address
 * (IPv4 and IPv6) inside a network namespace, answering every request line (TCP: every line on a
 * connection, so a long-lived connection can ask again; UDP: every datagram) with the source address
 * and port it saw. The sockets are made on a thread that entered the namespace; serving happens on
 * ordinary daemon threads.
 */
public final class EchoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EchoServer.class);

    private final String netns;
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private EchoServer(String netns, ServerSocket tcp, DatagramSocket udp) {
        this.netns = netns;
        this.tcp = tcp;
        this.udp = udp;
    }

    /** Starts serving TCP and UDP on {@code port} in {@code netns} (null: the caller's namespace). */
    public static EchoServer start(String netns, int port) throws Exception {
        Sockets s = netns == null ? open(port) : NetnsThread.call(netns, Duration.ofSeconds(10), () -> open(port));
        EchoServer server = new EchoServer(netns, s.tcp(), s.udp());
        server.daemon("echo-tcp-" + port, server::acceptLoop);
        server.daemon("echo-udp-" + port, server::udpLoop);
        LOG.info("echo: serving netns={} port={}", netns, port);
        return server;
    }

    private record Sockets(ServerSocket tcp, DatagramSocket udp) {
    }

    private static Sockets open(int port) throws IOException {
        ServerSocket tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress((InetAddress) null, port), 512);
        DatagramSocket udp = new DatagramSocket(null);
        udp.setReuseAddress(true);
        udp.bind(new InetSocketAddress((InetAddress) null, port));
        return new Sockets(tcp, udp);
    }

    public int port() {
        return tcp.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket c = tcp.accept();
                connections.add(c);
                daemon("echo-conn", () -> serve(c));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("echo: accept failed netns={}: {}", netns, e.getMessage());
                }
            }
        }
    }

    private void serve(Socket c) {
        EchoReply seen = new EchoReply(EchoReply.text(c.getInetAddress()), c.getPort());
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream out = c.getOutputStream()) {
            while (in.readLine() != null) {
                out.write(seen.toLine().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        } finally {
            connections.remove(c);
        }
    }

    private void udpLoop() {
        byte[] buf = new byte[2048];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] answer = new EchoReply(EchoReply.text(p.getAddress()), p.getPort()).toLine()
                        .getBytes(StandardCharsets.UTF_8);
                udp.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (SocketException e) {
                if (!closed) {
                    LOG.warn("echo: udp failed netns={}: {}", netns, e.getMessage());
                }
            } catch (IOException e) {
                LOG.warn("echo: udp failed netns={}: {}", netns, e.getMessage());
            }
        }
    }

    private void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            tcp.close();
        } catch (IOException e) {
            LOG.debug("echo: close", e);
        }
        udp.close();
        for (Socket c : connections) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("echo: close connection", e);
            }
        }
    }

    /** {@code EchoServer <port>}: serve in the current namespace until killed (e.g. under {@code ip netns exec}). */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EchoServer <port>");
            System.exit(2);
        }
        start(null, Integer.parseInt(args[0]));
        Thread.currentThread().join();
    }
}
