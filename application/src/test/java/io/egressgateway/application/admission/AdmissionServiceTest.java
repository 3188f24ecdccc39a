package io.egressgateway.application.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest;
import io.egressgateway.application.port.in.AdmissionRequest.Operation;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import io.egressgateway.application.port.in.FieldViolation;
import io.egressgateway.application.port.in.PatchOperation;
import io.egressgateway.application.port.in.ResourceKind;
import io.egressgateway.application.port.out.ReadClusterResourcesPort;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What admission adds to the domain's rules, over an in-memory cluster. */
class AdmissionServiceTest {
    private static final String CONTROLLER = "system:serviceaccount:egressgateway:egressgateway-controller";
    private static final LabelSelector EGRESS = LabelSelector.of(Map.of("egress", "true"));

    private final List<Gateway> gateways = new ArrayList<>(List.of(
            new Gateway("default", 1, EGRESS, new IpPools(List.of("10.6.1.55"), List.of(), "10.6.1.55", null), true, null),
            new Gateway("bare", 1, EGRESS, IpPools.empty(), false, null)));
    private final List<Policy> policies = new ArrayList<>();
    private final ReadClusterResourcesPort cluster = new ReadClusterResourcesPort() {
        @Override
        public List<Gateway> gateways() {
            return List.copyOf(gateways);
        }

        @Override
        public List<Policy> policies() {
            return List.copyOf(policies);
        }
    };
    private final AdmissionService admission = new AdmissionService(cluster, Set.of(CONTROLLER), true);

    private static Policy policy(String name, String gateway, EgressIpSpec egressIp) {
        return new Policy(name, 1, gateway, new AppliedTo(LabelSelector.of(Map.of("app", name)), null, null), List.of(),
                egressIp, 0, null);
    }

    private static AdmissionRequest request(Phase phase, ResourceKind kind, Operation op, String name, String user,
                                            Gateway gw, Gateway oldGw, Policy p, Policy oldP, List<String> finalizers,
                                            boolean deleting) {
        return new AdmissionRequest("uid-1", phase, kind, op, name, user, gw, oldGw, p, oldP, finalizers, true, deleting,
                List.of());
    }

    @Test
    void deleting_the_cluster_default_is_refused_while_policies_rely_on_it_by_an_empty_name() {
        policies.add(policy("implicit", "", null));
        policies.add(policy("explicit", "default", null));

        AdmissionDecision d = admission.admit(request(Phase.VALIDATE, ResourceKind.EGRESS_GATEWAY, Operation.DELETE,
                "default", "alice", null, gateways.get(0), null, null, null, false));

        assertThat(d.allowed()).isFalse();
        assertThat(d.code()).isEqualTo(409);
        assertThat(d.message()).contains("EgressGatewayPolicy explicit, implicit");
    }

    @Test
    void a_gateway_being_deleted_gets_no_finalizer_back() {
        AdmissionDecision d = admission.admit(request(Phase.MUTATE, ResourceKind.EGRESS_GATEWAY, Operation.UPDATE,
                "default", CONTROLLER, gateways.get(0), gateways.get(0), null, null, List.of(), true));

        assertThat(d.patch()).isEmpty();
    }

    @Test
    void releasing_the_finalizer_of_an_invalid_gateway_being_deleted_is_allowed() {
        // stored past admission with a pool the rules refuse; the controller's update drops the finalizer
        Gateway wide = new Gateway("wide", 1, EGRESS, new IpPools(List.of("0.0.0.0/0"), List.of(), null, null), false,
                null);
        AdmissionDecision release = admission.admit(request(Phase.VALIDATE, ResourceKind.EGRESS_GATEWAY,
                Operation.UPDATE, "wide", CONTROLLER, wide, wide, null, null, List.of(), true));
        AdmissionDecision edit = admission.admit(request(Phase.VALIDATE, ResourceKind.EGRESS_GATEWAY,
                Operation.UPDATE, "wide", "alice", wide, wide, null, null, List.of(), false));

        assertThat(release.allowed()).as(release.message()).isTrue();
        assertThat(edit.allowed()).as("the same content on a live object is still refused").isFalse();
    }

    @Test
    void by_default_gateways_are_left_without_a_finalizer() {
        AdmissionService noFinalizer = new AdmissionService(cluster, Set.of(CONTROLLER));
        Gateway fresh = new Gateway("fresh", 1, EGRESS, new IpPools(List.of("10.9.0.1"), List.of(), null, null), false, null);

        AdmissionDecision d = noFinalizer.admit(request(Phase.MUTATE, ResourceKind.EGRESS_GATEWAY, Operation.CREATE,
                "fresh", "alice", fresh, null, null, null, null, false));

        assertThat(d.patch()).extracting(PatchOperation::path).doesNotContain("/metadata/finalizers")
                .contains("/spec/ippools/ipv4DefaultEIP").isNotEmpty();
        assertThat(admission.admit(request(Phase.MUTATE, ResourceKind.EGRESS_GATEWAY, Operation.CREATE, "fresh",
                "alice", fresh, null, null, null, null, false)).patch())
                .contains(PatchOperation.add("/metadata/finalizers", List.of(AdmissionService.GATEWAY_FINALIZER)));
    }

    @Test
    void an_update_that_omits_gateway_and_mode_keeps_the_old_ones_not_todays_defaults() {
        Policy old = policy("shop", "bare", new EgressIpSpec(EgressIpMode.None, null, null, null));
        Policy now = policy("shop", "", null);

        AdmissionDecision d = admission.admit(request(Phase.MUTATE, ResourceKind.EGRESS_GATEWAY_POLICY,
                Operation.UPDATE, "shop", "alice", null, null, now, old, null, false));

        assertThat(d.patch()).containsExactly(PatchOperation.add("/spec/egressGatewayName", "bare"),
                PatchOperation.add("/spec/egressIP", Map.of("mode", "None", "allocatorPolicy", "default")));
    }

    @Test
    void undecodable_fields_deny_at_validation_and_leave_mutation_alone() {
        List<FieldViolation> bad = List.of(new FieldViolation("spec.priority", "\"high\"", "must be a 32-bit integer"));
        AdmissionRequest validate = new AdmissionRequest("u", Phase.VALIDATE, ResourceKind.EGRESS_GATEWAY_POLICY,
                Operation.CREATE, "p", "alice", null, null, policy("p", "default", null), null, null, true, false, bad);
        AdmissionRequest mutate = new AdmissionRequest("u", Phase.MUTATE, ResourceKind.EGRESS_GATEWAY_POLICY,
                Operation.CREATE, "p", "alice", null, null, policy("p", "default", null), null, null, true, false, bad);

        assertThat(admission.admit(validate).message())
                .isEqualTo("EgressGatewayPolicy p is invalid: spec.priority: \"\"high\"\": must be a 32-bit integer");
        assertThat(admission.admit(mutate)).isEqualTo(AdmissionDecision.allow());
    }

    @Test
    void controller_owned_kinds_admit_the_controller_and_the_garbage_collector_only() {
        AdmissionRequest byController = request(Phase.VALIDATE, ResourceKind.EGRESS_CLUSTER_INFO, Operation.UPDATE,
                "default", CONTROLLER, null, null, null, null, null, false);
        AdmissionRequest gcDelete = request(Phase.VALIDATE, ResourceKind.EGRESS_ENDPOINT_SLICE, Operation.DELETE,
                "shop-1", AdmissionService.GARBAGE_COLLECTOR, null, null, null, null, null, false);
        AdmissionRequest gcUpdate = request(Phase.VALIDATE, ResourceKind.EGRESS_ENDPOINT_SLICE, Operation.UPDATE,
                "shop-1", AdmissionService.GARBAGE_COLLECTOR, null, null, null, null, null, false);

        assertThat(admission.admit(byController).allowed()).isTrue();
        assertThat(admission.admit(gcDelete).allowed()).isTrue();
        assertThat(admission.admit(gcUpdate).code()).isEqualTo(403);
    }

    @Test
    void other_kinds_pass_untouched() {
        AdmissionDecision d = admission.admit(request(Phase.VALIDATE, ResourceKind.OTHER, Operation.CREATE, "x",
                "alice", null, null, null, null, null, false));

        assertThat(d).isEqualTo(AdmissionDecision.allow());
    }
}
