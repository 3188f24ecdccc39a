package io.egressgateway.adapters.kubernetes;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline (never sleep-and-hope); fails naming what it waited for.
 * The deadline only bounds a failing run, so it is generous: 20 s timed out once on a controller
 * pass against the mock server at load average 41 (2 CPUs).
 */
final class Await {
    static final Duration DEFAULT = Duration.ofSeconds(60);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition, () -> "");
    }

    static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        until(what, DEFAULT, condition, state);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // the object may not exist yet: keep waiting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what + "; state: "
                        + state.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
