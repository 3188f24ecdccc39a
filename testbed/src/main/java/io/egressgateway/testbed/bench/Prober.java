package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.echo.EchoServer;
import io.egressgateway.testbed.netns.NetnsThread;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the external host's {@link EchoServer} "who am I" from inside a pod on a fixed beat, each time
 * on a new connection (a new source port, so a new conntrack entry that takes the path of the
 * moment), without waiting for earlier attempts: while a path is broken, attempts hang until their
 * timeout, and a fresh one still leaves every {@code interval}. So the first answer with a new
 * source address arrives at most one interval plus a round trip after the path changed.
 *
 * <p>One thread entered the pod's namespace and runs a selector over all attempts; it ends with
 * {@link #close()}, so no thread is left in a foreign namespace.
 */
public final class Prober implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Prober.class);
    private static final int MAX_KEPT = 100_000;
    private static final byte[] ASK = "?\n".getBytes(StandardCharsets.US_ASCII);

    /** One answered attempt: when it was started, when its answer arrived (nanoTime), the address the host saw. */
    public record Answer(long launched, long answered, String address) {
    }

    private final String netns;
    private final InetSocketAddress target;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final List<Answer> answers = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Exception failure;

    private Prober(String netns, InetSocketAddress target, Duration interval, Duration timeout) {
        this.netns = netns;
        this.target = target;
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.thread = new Thread(this::run, "prober-" + netns);
        thread.setDaemon(true);
    }

    /** Starts probing {@code host:port} from {@code netns} every {@code interval}; an attempt is abandoned after {@code timeout}. */
    public static Prober start(String netns, String host, int port, Duration interval, Duration timeout)
            throws IOException {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("probe interval must be positive, got " + interval);
        }
        Prober p = new Prober(netns, new InetSocketAddress(InetAddress.getByName(host), port), interval, timeout);
        p.thread.start();
        return p;
    }

    /**
     * Waits for the first answer from an attempt started at or after {@code launchedAfter} (nanoTime)
     * whose address matches; returns it. Answers older than that are dropped.
     *
     * @throws IllegalStateException naming {@code what} when none came within {@code deadline}
     */
    public Answer awaitFirst(String what, long launchedAfter, Predicate<String> address, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (answers) {
            while (true) {
                answers.removeIf(a -> a.launched() < launchedAfter);
                Answer best = null;
                for (Answer a : answers) {
                    if (address.test(a.address()) && (best == null || a.answered() < best.answered())) {
                        best = a;
                    }
                }
                if (best != null) {
                    return best;
                }
                if (failure != null) {
                    throw new IllegalStateException("the prober in netns " + netns + " failed: " + failure, failure);
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    String last = answers.isEmpty() ? "no answer at all" : "last answer from "
                            + answers.get(answers.size() - 1).address();
                    throw new IllegalStateException("timed out after " + deadline.toSeconds() + " s waiting for " + what
                            + " (" + last + ")");
                }
                try {
                    answers.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + what, e);
                }
            }
        }
    }

    /** The answers kept so far to attempts started at or after {@code launchedAfter} (nanoTime), in arrival order. */
    public List<Answer> answersSince(long launchedAfter) {
        synchronized (answers) {
            return answers.stream().filter(a -> a.launched() >= launchedAfter).toList();
        }
    }

    private final class Attempt {
        final long launched = System.nanoTime();
        final ByteBuffer in = ByteBuffer.allocate(256);
    }

    private void run() {
        try (Selector selector = Selector.open()) {
            NetnsThread.enter(netns);
            long next = System.nanoTime();
            while (!closed) {
                long now = System.nanoTime();
                if (now >= next) {
                    launch(selector);
                    next += intervalNanos;
                    if (next < now) {
                        next = now + intervalNanos; // fell behind (a busy machine): keep the beat, skip the missed ones
                    }
                }
                selector.select(Math.max(1, (next - System.nanoTime()) / 1_000_000));
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    handle(k);
                }
                expire(selector);
            }
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
        } catch (Exception e) {
            failure = e;
            LOG.warn("bench: prober netns={} failed: {}", netns, e.toString());
            synchronized (answers) {
                answers.notifyAll();
            }
        }
    }

    private void launch(Selector selector) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        Attempt a = new Attempt();
        try {
            if (ch.connect(target)) {
                ch.write(ByteBuffer.wrap(ASK));
                ch.register(selector, SelectionKey.OP_READ, a);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, a);
            }
        } catch (IOException e) {
            ch.close(); // e.g. no route at this moment: this attempt simply has no answer
        }
    }

    private void handle(SelectionKey k) {
        SocketChannel ch = (SocketChannel) k.channel();
        Attempt a = (Attempt) k.attachment();
        try {
            if (k.isConnectable()) {
                ch.finishConnect();
                ch.write(ByteBuffer.wrap(ASK));
                k.interestOps(SelectionKey.OP_READ);
                return;
            }
            if (k.isReadable()) {
                if (ch.read(a.in) < 0) {
                    ch.close();
                    return;
                }
                String text = new String(a.in.array(), 0, a.in.position(), StandardCharsets.US_ASCII);
                int nl = text.indexOf('\n');
                if (nl >= 0) {
                    long answered = System.nanoTime();
                    ch.close();
                    record(new Answer(a.launched, answered, text.substring(0, nl).split(" ")[0]));
                }
            }
        } catch (IOException e) {
            try {
                ch.close(); // refused or reset: no answer from this attempt
            } catch (IOException ignored) {
                // closing a broken channel
            }
        }
    }

    private void expire(Selector selector) throws IOException {
        long now = System.nanoTime();
        for (SelectionKey k : selector.keys()) {
            if (k.isValid() && now - ((Attempt) k.attachment()).launched > timeoutNanos) {
                k.channel().close();
            }
        }
    }

    private void record(Answer a) {
        synchronized (answers) {
            if (answers.size() >= MAX_KEPT) {
                answers.subList(0, MAX_KEPT / 2).clear(); // nobody waited for these for minutes
            }
            answers.add(a);
            answers.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
