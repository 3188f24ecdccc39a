package io.egressgateway.testbed.echo;

import io.egressgateway.testbed.netns.NetnsThread;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Asks the echo server from inside a network namespace (a pod's) what source address it sees. */
public final class EchoClient {
    private EchoClient() {
    }

    /** One TCP request on a new connection (a new source port) from {@code netns}; throws after {@code deadline}. */
    public static EchoReply tcp(String netns, String host, int port, Duration deadline) throws Exception {
        try (EchoConnection c = EchoConnection.open(netns, host, port, deadline)) {
            return c.request(deadline);
        }
    }

    /**
     * One UDP request from {@code netns}; the datagram is re-sent every 200 ms (the first may be lost
     * while a neighbour is resolved) until an answer arrives or {@code deadline} passes.
     */
    public static EchoReply udp(String netns, String host, int port, Duration deadline) throws Exception {
        return NetnsThread.call(netns, deadline.plusSeconds(1), () -> {
            long end = System.nanoTime() + deadline.toNanos();
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(200);
                byte[] ask = "?\n".getBytes(StandardCharsets.UTF_8);
                InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(host), port);
                byte[] buf = new byte[512];
                while (System.nanoTime() < end) {
                    s.send(new DatagramPacket(ask, ask.length, to));
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        s.receive(p);
                        return EchoReply.parse(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                    } catch (SocketTimeoutException e) {
                        // ask again
                    }
                }
            }
            throw new IOException("no UDP answer from " + host + ":" + port + " in netns " + netns + " within " + deadline);
        });
    }

    /** {@code EchoClient <host> <port>}: one TCP request from the current namespace; prints "<address> <port>". */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EchoClient <host> <port>");
            System.exit(2);
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("?\n".getBytes(StandardCharsets.UTF_8));
            System.out.println(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine());
        }
    }
}
