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
 * the server starts writing its answer, so a trickled header or body cannot hold a connection.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlineHandler.class);
    private final long timeoutNanos;
    private ScheduledFuture<?> deadline;

    RequestDeadlineHandler(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (deadline == null) {
            deadline = ctx.executor().schedule(() -> {
                LOG.info("closing slow client remote={}: request not complete within {} ms", ctx.channel().remoteAddress(),
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        cancel();
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
