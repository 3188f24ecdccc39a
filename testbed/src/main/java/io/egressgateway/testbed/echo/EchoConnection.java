package io.egressgateway.testbed.echo;

import io.egressgateway.testbed.netns.NetnsThread;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A TCP connection to the echo server made inside a namespace and kept open, so that a test can
 * ask again later on the same flow (long-lived connections, agent restarts).
 */
public final class EchoConnection implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;

    private EchoConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Connects from {@code netns} to {@code host:port}; throws when not connected within {@code deadline}. */
    public static EchoConnection open(String netns, String host, int port, Duration deadline) throws Exception {
        Socket s = NetnsThread.call(netns, deadline.plusSeconds(1), () -> {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, deadline.toMillis()));
                return socket;
            } catch (IOException e) {
                socket.close();
                throw new IOException("cannot connect to " + host + ":" + port + " from netns " + netns + ": "
                        + e.getMessage(), e);
            }
        });
        return new EchoConnection(s);
    }

    /** Asks once on this connection; throws when no answer arrives within {@code deadline}. */
    public EchoReply request(Duration deadline) throws IOException {
        socket.setSoTimeout((int) Math.max(1, deadline.toMillis()));
        socket.getOutputStream().write("?\n".getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return EchoReply.parse(in.readLine());
    }

    /** The local (pod-side) address and port of this connection. */
    public EchoReply local() {
        return new EchoReply(EchoReply.text(socket.getLocalAddress()), socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
