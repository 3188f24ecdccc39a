package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Ordinary ends of a connection log one DEBUG line without a stack; a fault of ours logs a WARN with it. */
class ConnectionLoggingTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(HttpRoutes.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final WebhookMetrics metrics = new WebhookMetrics();
    private Level before;

    @BeforeEach
    void capture() {
        before = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
        logger.setLevel(before);
    }

    private EmbeddedChannel channel() {
        HttpRoutes routes = new HttpRoutes(Set.of(HttpRoutes.Route.HEALTH), null, null, null, null, null,
                metrics, null);
        return new EmbeddedChannel(new ReadTimeoutHandler(1, TimeUnit.SECONDS), routes);
    }

    @Test
    void anIdleClientCutByAReadTimeoutIsOneDebugLine() {
        EmbeddedChannel ch = channel();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();

        assertThat(ch.isOpen()).as("the idle connection is closed").isFalse();
        assertQuietClose("ReadTimeoutException");
    }

    @Test
    void resetsBadTlsAndTooDeepPipeliningAreOrdinary() {
        List<Throwable> ordinary = List.of(new IOException("Connection reset by peer"),
                new DecoderException(new SSLHandshakeException("no cipher suites in common")),
                new DecoderException(new IllegalStateException(ConnectionFaults.PIPELINE_DEPTH + ": 128")));
        for (Throwable t : ordinary) {
            log.list.clear();
            EmbeddedChannel ch = channel();
            ch.pipeline().fireExceptionCaught(t);
            assertThat(ch.isOpen()).isFalse();
            assertQuietClose(t.getClass().getSimpleName());
        }
        assertThat(metrics.count(WebhookMetrics.CLOSED, "reason", "error")).isZero();
    }

    @Test
    void aFaultOfOursIsAWarnWithItsStackTraceAndCounted() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireExceptionCaught(new NullPointerException("bug"));

        assertThat(ch.isOpen()).isFalse();
        assertThat(log.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getThrowableProxy()).as("stack trace").isNotNull();
            assertThat(e.getFormattedMessage()).contains("unexpected error").contains("bug");
        });
        assertThat(metrics.count(WebhookMetrics.CLOSED, "reason", "error")).isEqualTo(1);
    }

    private void assertQuietClose(String what) {
        assertThat(log.list).as(what).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(e.getThrowableProxy()).as("no stack trace").isNull();
            assertThat(e.getFormattedMessage()).startsWith("closing connection").contains(what);
        });
    }
}
