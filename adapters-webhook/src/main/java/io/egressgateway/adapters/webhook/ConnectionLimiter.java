package io.egressgateway.adapters.webhook;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps one listener's connections. A plain cap is what a slowloris attack aims at (hold every slot
 * with requests that never finish), so at the cap a new connection takes the place of the one that
 * has waited longest for its client: mid-handshake, mid-request or idle since its last answer. A
 * connection whose request is being decided is never closed for another; only when every connection
 * is such is the new one refused. The newest connection is the last to go, so a client that sends
 * its request at once gets it through while slow ones churn.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<State> STATE = AttributeKey.valueOf("egw-connection-state");

    private final String listener;
    private final int max;
    private final WebhookMetrics metrics;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    ConnectionLimiter(String listener, int max, WebhookMetrics metrics) {
        this.listener = listener;
        this.max = max;
        this.metrics = metrics;
    }

    /** The connection's request arrived whole: it is the server's turn, do not evict it. */
    static void busy(Channel c) {
        State s = c.attr(STATE).get();
        if (s != null) {
            s.since = -1;
        }
    }

    /** The connection's answer left: it waits for its client again. */
    static void waiting(Channel c) {
        State s = c.attr(STATE).get();
        if (s != null) {
            s.since = System.nanoTime();
        }
    }

    int open() {
        return open.size();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Channel c = ctx.channel();
        c.attr(STATE).set(new State(System.nanoTime()));
        Channel victim = null;
        synchronized (this) {
            if (open.size() >= max) {
                victim = oldestWaiting();
                if (victim == null) {
                    metrics.connectionRefused(listener);
                    LOG.debug("refused connection listener={} remote={}: all {} connections have a request being decided",
                            listener, c.remoteAddress(), max);
                    c.close();
                    return;
                }
                open.remove(victim);
            }
            open.add(c);
        }
        c.closeFuture().addListener(f -> open.remove(c));
        if (victim != null) {
            metrics.connectionEvicted(listener);
            LOG.debug("closing connection listener={} remote={}: at the cap of {}, it waited longest for its client",
                    listener, victim.remoteAddress(), max);
            victim.close();
        }
        super.channelActive(ctx);
    }

    private Channel oldestWaiting() {
        Channel oldest = null;
        long oldestSince = Long.MAX_VALUE;
        for (Channel c : open) {
            State s = c.attr(STATE).get();
            long since = s == null ? -1 : s.since;
            // nanoTime values compare by difference; -1 marks a busy connection
            if (since != -1 && (oldest == null || since - oldestSince < 0)) {
                oldest = c;
                oldestSince = since;
            }
        }
        return oldest;
    }

    private static final class State {
        /** When the connection began to wait for its client (nanoTime), or -1 while its request is decided. */
        volatile long since;

        State(long since) {
            this.since = since;
        }
    }
}
