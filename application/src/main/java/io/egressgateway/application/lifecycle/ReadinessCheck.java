package io.egressgateway.application.lifecycle;

/**
 * What {@code /healthz} and {@code /readyz} ask a role: is it alive, is it ready to serve (caches
 * synced, leader elected or standing by...). Must answer quickly and never block on I/O: the HTTP
 * server calls it on every probe.
 */
@FunctionalInterface
public interface ReadinessCheck {
    Result check();

    /** ok, and a one-line reason a human reads in the probe's body. */
    record Result(boolean ok, String detail) {
        public static Result ok(String detail) {
            return new Result(true, detail);
        }

        public static Result failing(String detail) {
            return new Result(false, detail);
        }
    }

    static ReadinessCheck always() {
        return () -> Result.ok("ok");
    }
}
