package io.egressgateway.application.admission;

import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest;
import io.egressgateway.application.port.in.AdmissionRequest.Operation;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import io.egressgateway.application.port.in.AdmitResourceUseCase;
import io.egressgateway.application.port.in.FieldViolation;
import io.egressgateway.application.port.in.ResourceKind;
import io.egressgateway.application.port.out.ReadClusterResourcesPort;
import io.egressgateway.domain.election.GatewayElection;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.validation.ControllerOwned;
import io.egressgateway.domain.validation.GatewayValidator;
import io.egressgateway.domain.validation.PolicyValidator;
import io.egressgateway.domain.validation.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides admission for the project's kinds. Reads the current gateways and policies once per
 * request (the informer caches behind the port), so a decision sees one consistent snapshot.
 */
public final class AdmissionService implements AdmitResourceUseCase {
    /** Put on every gateway; the controller removes it once no policy references the gateway. */
    public static final String GATEWAY_FINALIZER = "egressgateway.spidernet.io/gateway-in-use";
    /** Deletes owned EgressEndpointSlices when their policy goes away; must not be refused. */
    public static final String GARBAGE_COLLECTOR = "system:serviceaccount:kube-system:generic-garbage-collector";

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionService.class);

    private final ReadClusterResourcesPort cluster;
    private final Set<String> trustedWriters;
    private final boolean gatewayFinalizer;

    /**
     * @param trustedWriters   user names allowed to write EgressNode, EgressEndpointSlice and
     *                         EgressClusterInfo: the controller's service account (and the agent's,
     *                         where its webhook rules cover what the agent writes)
     * @param gatewayFinalizer whether the mutating webhook puts {@link #GATEWAY_FINALIZER} on gateways;
     *                         only where the controller removes it again (else a gateway can't be deleted).
     *                         Without it, a delete is still refused while policies use the gateway.
     */
    public AdmissionService(ReadClusterResourcesPort cluster, Set<String> trustedWriters, boolean gatewayFinalizer) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.trustedWriters = Set.copyOf(trustedWriters);
        this.gatewayFinalizer = gatewayFinalizer;
    }

    /**
     * Without the gateway finalizer: nothing in the controller removes it yet, and a finalizer nobody
     * removes would make every gateway undeletable. Deletes are still refused while policies use it.
     */
    public AdmissionService(ReadClusterResourcesPort cluster, Set<String> trustedWriters) {
        this(cluster, trustedWriters, false);
    }

    /**
     * The gateways, waiting up to {@link #CACHE_LAG} for {@code name} to appear: the port may be an
     * informer cache that lags a moment behind the API server, and "kubectl apply -f dir/" creates a
     * gateway and its policy back to back. A webhook cannot instead read the API server live: calling
     * back into the server that is waiting for the webhook's answer risks a deadlock.
     */
    private List<Gateway> gatewaysIncluding(String name) {
        List<Gateway> gateways = cluster.gateways();
        if (name == null || name.isBlank()) {
            return gateways;
        }
        long deadline = System.nanoTime() + CACHE_LAG.toNanos();
        while (gateways.stream().noneMatch(g -> g.name().equals(name)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            gateways = cluster.gateways();
        }
        return gateways;
    }

    static final java.time.Duration CACHE_LAG = java.time.Duration.ofSeconds(2);

    @Override
    public AdmissionDecision admit(AdmissionRequest r) {
        if (r.kind().controllerOwned()) {
            return controllerOwned(r);
        }
        if (r.kind() == ResourceKind.OTHER || r.operation() == Operation.CONNECT) {
            return AdmissionDecision.allow();
        }
        String what = r.kind().kind() + " " + r.name();
        if (!r.decodeViolations().isEmpty() && r.operation() != Operation.DELETE) {
            return r.phase() == Phase.MUTATE ? AdmissionDecision.allow() // the validating call will explain
                    : AdmissionDecision.invalid(what, r.decodeViolations());
        }
        List<Gateway> gateways = gatewaysIncluding(r.policy() == null ? null : r.policy().egressGatewayName());
        if (r.phase() == Phase.MUTATE) {
            if (r.operation() == Operation.DELETE) {
                return AdmissionDecision.allow();
            }
            if (r.kind() == ResourceKind.EGRESS_GATEWAY) {
                return AdmissionDecision.patch(Mutations.gateway(r, gatewayFinalizer ? GATEWAY_FINALIZER : null));
            }
            Mutations.PolicyPatch patch = Mutations.policy(r, gateways);
            return AdmissionDecision.patch(patch.ops(), patch.warnings());
        }
        return r.kind() == ResourceKind.EGRESS_GATEWAY ? validateGateway(r, what, gateways)
                : validatePolicy(r, what, gateways);
    }

    private AdmissionDecision controllerOwned(AdmissionRequest r) {
        if (r.phase() == Phase.MUTATE || r.operation() == Operation.DELETE && GARBAGE_COLLECTOR.equals(r.userName())) {
            return AdmissionDecision.allow();
        }
        List<Violation> v = ControllerOwned.validate(r.kind().kind(), r.userName(), trustedWriters);
        if (v.isEmpty()) {
            return AdmissionDecision.allow();
        }
        LOG.info("refused kind={} name={} user={} operation={}", r.kind().kind(), r.name(), r.userName(), r.operation());
        return new AdmissionDecision(false, 403, r.operation() + " of " + r.kind().kind() + " " + r.name() + " refused: "
                + v.get(0).message(), List.of(), List.of());
    }

    private AdmissionDecision validateGateway(AdmissionRequest r, String what, List<Gateway> gateways) {
        List<Policy> policies = cluster.policies();
        if (r.operation() == Operation.DELETE) {
            Gateway old = r.oldGateway();
            Gateway gone = old != null ? old : new Gateway(r.name(), 0, null, null, false, null);
            List<String> users = policies.stream().filter(p -> GatewayElection.uses(p, gone))
                    .map(Policy::name).sorted().toList();
            if (users.isEmpty()) {
                return AdmissionDecision.allow();
            }
            return AdmissionDecision.deny(409, "EgressGateway " + r.name() + " is still used by EgressGatewayPolicy "
                    + String.join(", ", users) + "; delete them or point them at another gateway first");
        }
        if (r.gateway() == null) {
            return AdmissionDecision.invalid(what, List.of(new FieldViolation("object", "", "is missing")));
        }
        List<FieldViolation> v = fields(GatewayValidator.validate(r.gateway(), Optional.ofNullable(r.oldGateway()),
                gateways, policies));
        return v.isEmpty() ? AdmissionDecision.allow() : AdmissionDecision.invalid(what, v);
    }

    private AdmissionDecision validatePolicy(AdmissionRequest r, String what, List<Gateway> gateways) {
        if (r.operation() == Operation.DELETE) {
            return AdmissionDecision.allow();
        }
        if (r.policy() == null) {
            return AdmissionDecision.invalid(what, List.of(new FieldViolation("object", "", "is missing")));
        }
        List<FieldViolation> v = fields(PolicyValidator.validate(r.policy(), Optional.ofNullable(r.oldPolicy()),
                gateways));
        return v.isEmpty() ? AdmissionDecision.allow() : AdmissionDecision.invalid(what, v);
    }

    private static List<FieldViolation> fields(List<Violation> violations) {
        return violations.stream().map(x -> new FieldViolation(x.field(), x.value(), x.message())).toList();
    }
}
