package io.egressgateway.application.admission;

import io.egressgateway.application.port.in.AdmissionRequest;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.move.EipMoveRequest;
import io.egressgateway.domain.move.EipMoveRules;
import io.egressgateway.domain.net.Parsed;
import io.egressgateway.domain.validation.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Admission of a gateway's EIP move annotation, only when it is set or changed (a stored request
 * never blocks other updates): it must parse, name an EIP placed on one of the gateway's nodes, and
 * a node of the gateway that is Ready, as the stored status says. Whether that node's agent has
 * renewed its heartbeat only the controller knows; it refuses in the gateway's EIPMove condition.
 */
final class MoveRequestAdmission {
    static final String FIELD = "metadata.annotations[" + EipMoveRequest.ANNOTATION + "]";

    private MoveRequestAdmission() {
    }

    static List<Violation> validate(AdmissionRequest r) {
        String text = r.moveRequest();
        if (text == null || Objects.equals(text, r.oldMoveRequest())) {
            return List.of();
        }
        Parsed<EipMoveRequest> req = EipMoveRequest.parse(text);
        if (!req.isOk()) {
            return List.of(new Violation(FIELD, text, req.message()));
        }
        Gateway stored = r.oldGateway() != null && r.oldGateway().status() != null ? r.oldGateway() : r.gateway();
        EipMoveRules.Check check = EipMoveRules.check(stored, req.orElseThrow().eip(), req.orElseThrow().node(), Set.of());
        return check.refused() ? List.of(new Violation(FIELD, text, check.reason())) : List.of();
    }
}
