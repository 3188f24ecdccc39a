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
import io.egressgateway.domain.validation.NetworkContext;
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
 * request (the informer caches behind the port), so a decision sees one consistent snapshot, and
 * never waits: it answers from what is known. A DELETE is never refused because of what another
 * stored object holds (a malformed one must stay deletable), only by the in-use rule for gateways.
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
    private final NetworkContext network;

    /**
     * @param trustedWriters   user names allowed to write EgressNode, EgressEndpointSlice and
     *                         EgressClusterInfo: the controller's service account (and the agent's,
     *                         where its webhook rules cover what the agent writes)
     * @param gatewayFinalizer whether the mutating webhook puts {@link #GATEWAY_FINALIZER} on gateways;
     *                         only where the controller removes it again (else a gateway can't be deleted).
     *                         Without it, a delete is still refused while policies use the gateway.
     */
    public AdmissionService(ReadClusterResourcesPort cluster, Set<String> trustedWriters, boolean gatewayFinalizer) {
        this(cluster, trustedWriters, gatewayFinalizer, NetworkContext.unknown());
    }

    /**
     * @param network the configured part of the address rules (protected IPs, service CIDRs, pool
     *                prefix limits); node addresses come from the cluster info on each request
     */
    public AdmissionService(ReadClusterResourcesPort cluster, Set<String> trustedWriters, boolean gatewayFinalizer,
                            NetworkContext network) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.trustedWriters = Set.copyOf(trustedWriters);
        this.gatewayFinalizer = gatewayFinalizer;
        this.network = Objects.requireNonNull(network, "network");
    }

    /**
     * Without the gateway finalizer: nothing in the controller removes it yet, and a finalizer nobody
     * removes would make every gateway undeletable. Deletes are still refused while policies use it.
     */
    public AdmissionService(ReadClusterResourcesPort cluster, Set<String> trustedWriters) {
        this(cluster, trustedWriters, false);
    }

    /** Reads that fail (a cache that cannot map an object, say) count as "nothing known", never as a 500. */
    private <T> List<T> read(java.util.function.Supplier<List<T>> source, String what) {
        try {
            return source.get();
        } catch (RuntimeException e) {
            LOG.warn("admission could not read {}: {}; deciding without them", what, e.toString());
            return List.of();
        }
    }

    private NetworkContext network() {
        try {
            return network.with(cluster.clusterInfo().orElse(null));
        } catch (RuntimeException e) {
            return network;
        }
    }

    @Override
    public AdmissionDecision admit(AdmissionRequest r) {
        if (r.kind().controllerOwned()) {
            return controllerOwned(r);
        }
        if (r.kind() == ResourceKind.OTHER || r.operation() == Operation.CONNECT) {
            return AdmissionDecision.allow();
        }
        if (r.operation() == Operation.UPDATE && r.deleting()) {
            // An object on its way out: the update releases a finalizer. Refusing it for content that
            // was stored earlier (past admission, or under older rules) would block the delete for good;
            // adding a finalizer back is refused by the API server anyway.
            return AdmissionDecision.allow();
        }
        String what = r.kind().kind() + " " + r.name();
        if (!r.decodeViolations().isEmpty() && r.operation() != Operation.DELETE) {
            return r.phase() == Phase.MUTATE ? AdmissionDecision.allow() // the validating call will explain
                    : AdmissionDecision.invalid(what, r.decodeViolations());
        }
        if (r.phase() == Phase.MUTATE && r.operation() == Operation.DELETE) {
            return AdmissionDecision.allow();
        }
        if (r.operation() == Operation.DELETE && r.kind() == ResourceKind.EGRESS_GATEWAY_POLICY) {
            return AdmissionDecision.allow();
        }
        List<Gateway> gateways = read(cluster::gateways, "gateways");
        if (r.phase() == Phase.MUTATE) {
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
        List<Policy> policies = read(cluster::policies, "policies");
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
        List<FieldViolation> v = new java.util.ArrayList<>(fields(GatewayValidator.validate(r.gateway(),
                Optional.ofNullable(r.oldGateway()), gateways, policies, network())));
        v.addAll(fields(MoveRequestAdmission.validate(r)));
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
                gateways, network()));
        return v.isEmpty() ? AdmissionDecision.allow() : AdmissionDecision.invalid(what, v);
    }

    private static List<FieldViolation> fields(List<Violation> violations) {
        return violations.stream().map(x -> new FieldViolation(x.field(), x.value(), x.message())).toList();
    }
}
