package io.egressgateway.adapters.webhook;

import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.TimeoutException;
import java.io.IOException;

/**
 * Sorts what ends a connection into the ordinary (a client that went away, stayed idle, spoke no TLS or
 * pipelined too deep: logged at DEBUG in one line, since clients cause these by the thousand) and the
 * rest, which is a fault of the server worth a WARN with its stack trace.
 */
final class ConnectionFaults {
    /** Netty's HttpServerCodec: more requests in flight on one connection than it queues. */
    static final String PIPELINE_DEPTH = "maxPipelineDepth exceeded";
    private static final int MAX_CAUSES = 8;

    private ConnectionFaults() {
    }

    static boolean ordinary(Throwable cause) {
        Throwable t = cause;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof IOException // reset, broken pipe, closed channel, every SSLException
                    || t instanceof TimeoutException // Netty's ReadTimeoutException and WriteTimeoutException
                    || t instanceof TooLongFrameException
                    || t instanceof PrematureChannelClosureException
                    || t instanceof IllegalStateException && t.getMessage() != null
                    && t.getMessage().startsWith(PIPELINE_DEPTH)) {
                return true;
            }
        }
        return false;
    }
}
