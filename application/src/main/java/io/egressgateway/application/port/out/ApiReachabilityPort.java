package io.egressgateway.application.port.out;

import java.time.Duration;

/** Whether this process reaches the API server right now (a cheap authenticated read, bounded in time). */
@FunctionalInterface
public interface ApiReachabilityPort {
    boolean reachable(Duration timeout);
}
