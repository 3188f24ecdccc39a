package io.egressgateway.application.agent;

import io.egressgateway.application.lifecycle.Service;
import io.egressgateway.application.port.out.WitnessKeyPort;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the witness key once, on a thread of its own, retrying every {@code retry} until it has it:
 * the controller creates it ({@link #creating}), an agent reads it and hands it to its witness
 * ({@link #reading}). An agent without the key neither asks nor answers, so it fences as if no peer
 * answered (docs/agent.md, "API server outages").
 */
public final class WitnessKeyService implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(WitnessKeyService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String role;
    private final Supplier<Optional<byte[]>> attempt;
    private final Consumer<byte[]> use;
    private final Duration retry;
    private volatile Thread thread;

    WitnessKeyService(String role, Supplier<Optional<byte[]>> attempt, Consumer<byte[]> use, Duration retry) {
        this.role = role;
        this.attempt = attempt;
        this.use = use;
        this.retry = retry;
    }

    /** The controller's: stores a fresh random key unless one exists. */
    public static WitnessKeyService creating(WitnessKeyPort port) {
        return new WitnessKeyService("controller", () -> {
            byte[] candidate = new byte[32];
            RANDOM.nextBytes(candidate);
            return Optional.of(port.loadOrCreate(candidate));
        }, k -> { }, Duration.ofSeconds(5));
    }

    /** An agent's: reads the key and gives it to {@code use}. */
    public static WitnessKeyService reading(WitnessKeyPort port, Consumer<byte[]> use) {
        return new WitnessKeyService("agent", port::load, use, Duration.ofSeconds(2));
    }

    @Override
    public String name() {
        return "witness key (" + role + ")";
    }

    @Override
    public void start() {
        Thread t = new Thread(this::run, "witness-key");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Optional<byte[]> key = attempt.get();
                if (key.isPresent()) {
                    use.accept(key.get());
                    LOG.info("witness key {}: ready", role);
                    return;
                }
                LOG.info("witness key {}: not there yet, retrying in {}", role, retry);
            } catch (RuntimeException e) {
                LOG.warn("witness key {}: {}, retrying in {}", role, e.toString(), retry);
            }
            try {
                Thread.sleep(retry.toMillis()); // a retry interval, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
