package io.egressgateway.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The log configuration of both roles, in code rather than a logback.xml: reading that file took
 * logback's XML configurator and the JDK's XML parser, about 330 classes that every agent kept in
 * memory (issue 18, docs/benchmarks.md). What operators get is what the file gave: one line per
 * event on standard error in {@link #PATTERN}, fabric8 and Netty at WARN, the root at
 * {@code EGW_LOG_LEVEL} (INFO when unset or empty; an unknown name means DEBUG, as logback read it).
 * {@code -Dlogback.configurationFile=...} still wins: logback then reads that file as before.
 * Registered in META-INF/services/ch.qos.logback.classic.spi.Configurator.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} %msg%n";
    static final String LEVEL_VARIABLE = "EGW_LOG_LEVEL";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("io.fabric8").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel(System.getenv(LEVEL_VARIABLE)));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code EGW_LOG_LEVEL}'s value as logback.xml's {@code ${EGW_LOG_LEVEL:-INFO}} read it. */
    static Level rootLevel(String value) {
        return value == null || value.isBlank() ? Level.INFO : Level.toLevel(value.trim(), Level.DEBUG);
    }
}
