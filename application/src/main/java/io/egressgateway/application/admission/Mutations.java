package io.egressgateway.application.admission;

import io.egressgateway.application.port.in.AdmissionRequest;
import io.egressgateway.application.port.in.PatchOperation;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.validation.Change;
import io.egressgateway.domain.validation.Defaults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutating webhook's patch: the domain's defaults ({@link Defaults}) plus what only admission
 * knows about. Gateways get the finalizer that holds their delete while policies use them. On a
 * policy UPDATE, a gateway name or mode the user left out keeps its old value instead of a fresh
 * default, so re-applying a manifest that never named them does not trip the immutability rules.
 */
final class Mutations {
    private Mutations() {
    }

    static List<PatchOperation> gateway(AdmissionRequest r, String finalizer) {
        List<PatchOperation> ops = new ArrayList<>();
        if (!r.deleting()) {
            if (r.finalizers() == null) {
                ops.add(PatchOperation.add("/metadata/finalizers", List.of(finalizer)));
            } else if (!r.finalizers().contains(finalizer)) {
                ops.add(PatchOperation.add("/metadata/finalizers/-", finalizer));
            }
        }
        if (r.gateway() != null) {
            Defaults.forGateway(r.gateway()).forEach(c -> ops.add(op(c)));
        }
        return ops;
    }

    /** The patch, and a warning for every value the user wrote that was rewritten (not just filled in). */
    record PolicyPatch(List<PatchOperation> ops, List<String> warnings) {
    }

    static PolicyPatch policy(AdmissionRequest r, List<Gateway> gateways) {
        Policy p = r.policy();
        if (p == null || !r.specPresent()) {
            return new PolicyPatch(List.of(), List.of()); // nothing to hang defaults on; validation says what is missing
        }
        List<String> warnings = new ArrayList<>();
        Policy old = r.oldPolicy();
        String oldName = old == null ? null : old.egressGatewayName();
        String oldMode = old == null || old.egressIP() == null || old.egressIP().mode() == null ? null
                : old.egressIP().mode().name();
        // default the gateway as the old object had it, so the mode default follows that gateway
        Policy basis = oldName == null || oldName.isEmpty() || !empty(p.egressGatewayName()) ? p
                : new Policy(p.name(), p.generation(), oldName, p.appliedTo(), p.destCIDR(), p.egressIP(), p.priority(),
                p.status());
        List<PatchOperation> ops = new ArrayList<>();
        if (basis != p) {
            ops.add(PatchOperation.add("/spec/egressGatewayName", oldName));
        }
        for (Change c : Defaults.forPolicy(basis, gateways)) {
            Object value = c.value();
            if (oldMode != null && c.path().equals("/spec/egressIP/mode")) {
                value = oldMode;
            } else if (oldMode != null && c.path().equals("/spec/egressIP") && value instanceof Map<?, ?> m) {
                Map<Object, Object> copy = new LinkedHashMap<>(m);
                copy.put("mode", oldMode);
                value = copy;
            }
            ops.add(new PatchOperation(kind(c.op()), c.path(), value));
            if (c.op().equals("replace")) {
                warnings.add(c.reason());
            }
        }
        return new PolicyPatch(ops, warnings);
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    private static PatchOperation op(Change c) {
        return new PatchOperation(kind(c.op()), c.path(), c.value());
    }

    private static PatchOperation.Op kind(String op) {
        return switch (op) {
            case "add" -> PatchOperation.Op.ADD;
            case "replace" -> PatchOperation.Op.REPLACE;
            case "remove" -> PatchOperation.Op.REMOVE;
            default -> throw new IllegalArgumentException("JSON patch op '" + op + "' is not supported");
        };
    }
}
