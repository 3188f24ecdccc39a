package io.egressgateway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {

    @Test
    void logbackFindsItThroughTheServiceFile() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LogConfigurator.class);
    }

    @Test
    void oneLineOnStandardErrorWithTheLevelsOperatorsHad() {
        LoggerContext context = new LoggerContext();
        assertThat(new LogConfigurator().configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        assertThat(stderr.isStarted()).isTrue();
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(context.getLogger("io.fabric8.kubernetes.client").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.WARN);

        PatternLayoutEncoder encoder = (PatternLayoutEncoder) stderr.getEncoder();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.egressgateway.agent.AgentLoop"), Level.WARN,
                "pass failed", null, null);
        event.setThreadName("agent-pass");
        event.setTimeStamp(0);
        assertThat(new String(encoder.encode(event), StandardCharsets.UTF_8))
                .matches("1970-01-01T\\d\\d:\\d\\d:00\\.000(Z|[+-]\\d\\d:\\d\\d) WARN  \\[agent-pass\\] i\\.e\\.agent\\.AgentLoop pass failed\\R");
    }

    @Test
    void theRootLevelComesFromEgwLogLevel() {
        assertThat(LogConfigurator.rootLevel(null)).isEqualTo(Level.INFO);
        assertThat(LogConfigurator.rootLevel(" ")).isEqualTo(Level.INFO);
        assertThat(LogConfigurator.rootLevel("warn")).isEqualTo(Level.WARN);
        assertThat(LogConfigurator.rootLevel("TRACE")).isEqualTo(Level.TRACE);
        assertThat(LogConfigurator.rootLevel("verbose")).as("logback's reading of an unknown name").isEqualTo(Level.DEBUG);
    }
}
