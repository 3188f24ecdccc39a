package io.egressgateway.domain.election;

import io.egressgateway.domain.model.GatewayStatus;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The gateway's new status, each of its policies' decisions (by policy name), and notes on
 * conflicts found and resolved in the previous state, for the controller to log and count.
 */
public record ElectionResult(GatewayStatus status, SortedMap<String, PolicyDecision> policies, List<String> notes) {
    public ElectionResult {
        policies = Collections.unmodifiableSortedMap(new TreeMap<>(policies));
        notes = List.copyOf(notes);
    }
}
