package io.egressgateway.application.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.out.UpdateEndpointSlicesPort;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Endpoint;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.PodInfo;
import io.egressgateway.domain.model.Policy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pod joining a policy: the pass writes that policy's slice first and touches no other policy. */
class PodJoinPassTest {
    final ControllerReconcilerTest f = new ControllerReconcilerTest();
    final List<String> sliceWrites = Collections.synchronizedList(new ArrayList<>());
    final ExecutorService oneAtATime = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        oneAtATime.shutdownNow();
    }

    /** The in-memory slices, recording which policy's slice each write was for, in the order they ran. */
    final UpdateEndpointSlicesPort slices = new UpdateEndpointSlicesPort() {
        @Override
        public String create(String policy, List<Endpoint> endpoints) {
            sliceWrites.add("create " + policy);
            return f.c.create(policy, endpoints);
        }

        @Override
        public boolean update(String slice, List<Endpoint> endpoints) {
            sliceWrites.add("update " + f.c.slices.get(slice).policy());
            return f.c.update(slice, endpoints);
        }

        @Override
        public boolean delete(String slice) {
            sliceWrites.add("delete " + slice);
            return f.c.delete(slice);
        }
    };

    private void policy(String name) {
        f.c.policies.put(name, new Policy(name, 1, "gw", new AppliedTo(LabelSelector.of(Map.of("app", name)), null, null),
                List.of(), new EgressIpSpec(EgressIpMode.EgressIP, null, null, AllocatorPolicy.DEFAULT), 0, null));
        pod(name, "a");
    }

    private void pod(String app, String name) {
        f.c.pods.put(app + "/" + name, new PodInfo(app, name, Map.of("app", app), "n1",
                List.of("10.244.1." + (10 + f.c.pods.size())), false, false));
    }

    @Test
    void theJoinedPolicysSliceGoesFirstAndUntouchedPoliciesCostNoWrite() {
        f.cluster();
        policy("idle");
        policy("web");
        var r = f.reconciler(slices, oneAtATime);
        for (int i = 0; i < 5 && r.reconcile(Set.of(ReconcileControllerUseCase.ALL)) > 0; i++) {
            assertThat(i).as("converges").isLessThan(4);
        }
        sliceWrites.clear();
        int attempts = f.c.policyWriteAttempts;

        pod("shop", "b"); // joined earlier, its event already handled by another pass
        pod("web", "b");
        int writes = r.reconcile(Set.of("Pod/web/b"));

        assertThat(sliceWrites).as("web's pod is the dirty one: its slice is on the wire first")
                .containsExactly("update web", "update shop");
        assertThat(writes).as("two slices, two endpoint counts").isEqualTo(4);
        assertThat(f.c.policyWriteAttempts - attempts).as("no status call for the untouched policy").isEqualTo(2);
        assertThat(f.c.policies.get("web").status().endpoints()).isEqualTo(2);
        assertThat(f.c.policies.get("idle").status().endpoints()).isEqualTo(1);
        assertThat(r.reconcile(Set.of(ReconcileControllerUseCase.ALL))).as("nothing left half-applied").isZero();
    }

    /** The informer has not delivered the slice this controller just created: the next pass creates no second one. */
    @Test
    void aSliceCreatedButNotListedYetIsNotCreatedAgain() {
        f.cluster();
        List<String> hidden = new ArrayList<>();
        var lagging = new UpdateEndpointSlicesPort() {
            @Override
            public String create(String policy, List<Endpoint> endpoints) {
                String name = f.c.create(policy, endpoints);
                hidden.add(name);
                return name;
            }

            @Override
            public boolean update(String slice, List<Endpoint> endpoints) {
                return f.c.update(slice, endpoints);
            }

            @Override
            public boolean delete(String slice) {
                return f.c.delete(slice);
            }
        };
        var r = f.reconciler(lagging, oneAtATime);
        r.reconcile(Set.of(ReconcileControllerUseCase.ALL));
        assertThat(hidden).hasSize(1);
        // the next snapshot leaves the new slice out, as an informer that lags would
        f.c.slices.keySet().removeAll(hidden);
        r.reconcile(Set.of("Pod/shop/a"));
        assertThat(hidden).as("no second slice for the same pod").hasSize(1);
    }

    /** Pods pouring in: the slices are written, the endpoint counts follow in a pass without the flood. */
    @Test
    void duringAFloodOfSliceWritesEndpointCountsWaitForTheNextPass() {
        f.cluster();
        int policies = PolicyStatusStep.FLOOD + 1;
        for (int i = 0; i < policies; i++) {
            policy("p" + i);
        }
        var r = f.reconciler(slices, oneAtATime);
        for (int i = 0; i < 6 && r.reconcile(Set.of(ReconcileControllerUseCase.ALL)) > 0; i++) {
            assertThat(i).as("converges").isLessThan(5);
        }
        assertThat(r.retryAfter()).isEmpty();
        for (int i = 0; i < policies; i++) {
            pod("p" + i, "b");
        }
        int attempts = f.c.policyWriteAttempts;
        sliceWrites.clear();
        r.reconcile(Set.of("Pod/p0/b"));
        assertThat(sliceWrites).as("every policy's slice").hasSize(policies);
        assertThat(f.c.policyWriteAttempts).as("no count written in the flood").isEqualTo(attempts);
        assertThat(f.c.policies.get("p0").status().endpoints()).isEqualTo(1);
        assertThat(r.retryAfter()).as("a pass is asked for").isPresent();

        r.reconcile(Set.of(ReconcileControllerUseCase.RETRY));
        assertThat(f.c.policyWriteAttempts - attempts).as("then every count").isEqualTo(policies);
        assertThat(f.c.policies.get("p0").status().endpoints()).isEqualTo(2);
        assertThat(r.retryAfter()).isEmpty();
    }
}
