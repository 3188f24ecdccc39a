package io.egressgateway.testbed.cluster;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waiting for a condition with a deadline: never sleep-and-hope. */
public final class Waits {
    private Waits() {
    }

    /** Polls {@code condition} until true; throws naming {@code what} (and the last error) after {@code timeout}. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        until(what, timeout, Duration.ofMillis(100), condition);
    }

    /** As {@link #until(String, Duration, Callable)}, polling every {@code interval} (for costly conditions). */
    public static void until(String what, Duration timeout, Duration interval, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (last == null ? "" : "; last error: " + last));
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
