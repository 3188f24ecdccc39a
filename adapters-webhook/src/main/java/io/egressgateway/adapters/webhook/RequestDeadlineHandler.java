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
 * Closes a connection whose request does not arrive whole in time. A read timeout alone does not stop
 * a client that sends one byte a second; this deadline runs from the first byte of a request until
 * the request is whole ({@link #RECEIVED}, fired by the router) or the server answers early (a 413),
 * so a trickled header or body cannot hold a connection. Time spent deciding is not the client's.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {
    /** User event: a whole request has arrived. */
    static final Object RECEIVED = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlineHandler.class);
    private boolean awaitingAnswer;
    private final long timeoutNanos;
    private ScheduledFuture<?> deadline;

    RequestDeadlineHandler(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (deadline == null && !awaitingAnswer) {
            deadline = ctx.executor().schedule(() -> {
                LOG.info("closing slow client remote={}: request not complete within {} ms", ctx.channel().remoteAddress(),
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == RECEIVED) {
            cancel();
            awaitingAnswer = true; // bytes of a pipelined next request start its clock after this answer
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        cancel();
        awaitingAnswer = false;
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
