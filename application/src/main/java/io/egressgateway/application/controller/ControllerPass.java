package io.egressgateway.application.controller;

import io.egressgateway.application.port.out.ControllerClusterState;
import io.egressgateway.domain.election.ElectionResult;
import io.egressgateway.domain.election.PolicyDecision;
import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.Gateway;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State carried through one controller pass over one snapshot: what was vetted, decided and written.
 * The few writes whose result the pass needs at once (EgressNodes, cluster info, gateways) go through
 * {@link #attempt}; the many per-policy ones (slices, policy statuses) through {@link #writes}, which
 * issues them concurrently and is awaited before the pass ends.
 */
final class ControllerPass {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerPass.class);
    final ControllerClusterState s;
    final Instant now;
    final Set<String> dirty;
    final ControllerVetting.Result v;
    final PassWrites writes;
    private final WriteBackoff backoff;
    private int syncWrites;
    private int syncFailures;
    HeartbeatTracker.Result hb;
    List<EgressNode> egress = List.of();
    /** EgressNodes the controller could not allocate for, with the reason. */
    Map<String, String> unserved = new TreeMap<>();
    Map<String, Long> gatewayMarks = Map.of();
    Map<String, Integer> endpointCounts = new HashMap<>();
    Map<String, PolicyDecision> decisions = new TreeMap<>();
    Map<String, Gateway> electedBy = new HashMap<>();
    Map<String, ElectionResult> elections = new TreeMap<>();
    /** Policies whose new endpoint count this pass left for a later one (a flood of slice writes). */
    int deferredCounts;

    ControllerPass(ControllerClusterState s, Instant now, Set<String> dirty, ControllerVetting.Result v,
                   PassWrites writes, WriteBackoff backoff) {
        this.s = s;
        this.now = now;
        this.dirty = dirty;
        this.v = v;
        this.writes = writes;
        this.backoff = backoff;
    }

    /** One object's write, on the pass thread; skipped while that object's last write failed and its delay runs. */
    void attempt(String what, Runnable step) {
        if (backoff.waiting(what)) {
            return;
        }
        try {
            step.run();
            backoff.succeeded(what);
        } catch (RuntimeException e) {
            syncFailures++;
            backoff.failed(what);
            LOG.warn("{} failed (retrying this object in {} ms): {}", what, backoff.delayMs(what), e.toString());
        }
    }

    void wrote(boolean w) {
        syncWrites += w ? 1 : 0;
    }

    /** Writes that changed something, both kinds (after {@link PassWrites#await}). */
    int writeCount() {
        return syncWrites + writes.writes();
    }

    int failures() {
        return syncFailures + writes.failures();
    }
}
