package io.egressgateway.adapters.webhook;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 on one socket, one request at a time, as the API server and kubelet speak it: what the
 * load tests need and the JDK client hides (its own pool, retries, no control over partial writes).
 * Only 127.0.0.1.
 */
final class RawHttp implements AutoCloseable {
    /** A status and body; a review's body is JSON. */
    record Response(int status, String body) {
    }

    /** The connection closed before the request was written whole: safe to send again elsewhere (as Go's client does). */
    static final class NotSent extends IOException {
        NotSent(IOException cause) {
            super(cause);
        }
    }

    final Socket socket;
    /** The TCP socket under TLS: closing it never waits to send close_notify behind a blocked writer. */
    private final Socket tcp;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket, Socket tcp) throws IOException {
        this.socket = socket;
        this.tcp = tcp;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawHttp tls(SSLContext ctx, int port, int timeoutMillis) throws IOException {
        return tls(ctx, port, timeoutMillis, 0);
    }

    /** {@code receiveBuffer} > 0 shrinks the window offered from the start (a slow reader). */
    static RawHttp tls(SSLContext ctx, int port, int timeoutMillis, int receiveBuffer) throws IOException {
        Socket plain = new Socket();
        if (receiveBuffer > 0) {
            plain.setReceiveBufferSize(receiveBuffer);
        }
        plain.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true);
        try {
            s.startHandshake();
        } catch (IOException e) {
            plain.close();
            throw new NotSent(e);
        }
        return new RawHttp(s, plain);
    }

    static RawHttp plain(int port, int timeoutMillis) throws IOException {
        return plain(port, timeoutMillis, 0);
    }

    static RawHttp plain(int port, int timeoutMillis, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw new NotSent(e);
        }
        s.setSoTimeout(timeoutMillis);
        return new RawHttp(s, s);
    }

    static byte[] post(String path, String body, boolean close) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + b.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    static byte[] get(String path, boolean close) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one request and reads its answer. */
    Response exchange(byte[] request) throws IOException {
        write(request);
        return read();
    }

    void write(byte[] request) throws IOException {
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            throw new NotSent(e);
        }
    }

    Response read() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = 0;
        for (String h; !(h = line()).isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("body cut short");
        }
        return new Response(code, new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("closed by the server");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
