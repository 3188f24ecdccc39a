package io.egressgateway.adapters.webhook;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two clocks of a client's turn. Idle: a connection that sends nothing for {@code readTimeout}
 * while the server waits for it is closed. Request deadline: a read timeout alone does not stop a
 * client that sends one byte a second, so from the first byte of a request until the request is
 * whole ({@link #RECEIVED}, fired by the router) or the server answers early (a 413) at most
 * {@code requestTimeout} may pass. Neither clock runs while the server decides: that time is not
 * the client's.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {
    /** User event: a whole request has arrived. */
    static final Object RECEIVED = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlineHandler.class);
    private final long idleNanos;
    private final long timeoutNanos;
    private final WebhookMetrics metrics;
    private boolean awaitingAnswer;
    private long lastRead;
    private ScheduledFuture<?> idle;
    private ScheduledFuture<?> deadline;

    RequestDeadlineHandler(Duration readTimeout, Duration requestTimeout, WebhookMetrics metrics) {
        this.idleNanos = readTimeout.toNanos();
        this.timeoutNanos = requestTimeout.toNanos();
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        lastRead = System.nanoTime();
        idle = ctx.executor().schedule(() -> checkIdle(ctx), idleNanos, TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    private void checkIdle(ChannelHandlerContext ctx) {
        long left = idleNanos - (System.nanoTime() - lastRead);
        if (awaitingAnswer) {
            left = idleNanos;
        } else if (left <= 0) {
            // debug: under attack these come by the hundred a second; the counter tells
            LOG.debug("closing idle connection remote={}: nothing received for {} ms", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(idleNanos));
            metrics.closed("idle");
            ctx.close();
            return;
        }
        idle = ctx.executor().schedule(() -> checkIdle(ctx), left, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastRead = System.nanoTime();
        if (deadline == null && !awaitingAnswer) {
            deadline = ctx.executor().schedule(() -> {
                LOG.debug("closing slow client remote={}: request not complete within {} ms", ctx.channel().remoteAddress(),
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                metrics.closed("request_timeout");
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == RECEIVED) {
            cancelDeadline();
            awaitingAnswer = true; // bytes of a pipelined next request start its clock after this answer
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        cancelDeadline();
        awaitingAnswer = false;
        lastRead = System.nanoTime(); // the client's idle time starts with the answer
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        if (idle != null) {
            idle.cancel(false);
            idle = null;
        }
        super.channelInactive(ctx);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
