package io.egressgateway.application.port.in;

import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.Policy;
import java.util.List;

/**
 * One admission request, decoded by the adapter. For gateways and policies the adapter maps the
 * object (and, on UPDATE and DELETE, the old object) to domain records; for every other kind those
 * are null. Fields the adapter could not map (a number where a string belongs, an unknown enum
 * value) are listed in {@code decodeViolations} and the record holds null there.
 *
 * @param name          metadata.name of the object (from the request, so also set on DELETE)
 * @param userName      the requesting user ({@code userInfo.username})
 * @param finalizers    the object's metadata.finalizers, null when the field is absent
 * @param specPresent   whether the object has a {@code spec} at all (mutations add below it)
 * @param deleting      whether the object carries a deletionTimestamp
 * @param moveRequest   a gateway's annotation {@code egressgateway.spidernet.io/move-eip}, null when absent
 * @param oldMoveRequest the same on the old object
 */
public record AdmissionRequest(String uid, Phase phase, ResourceKind kind, Operation operation, String name,
                               String userName, Gateway gateway, Gateway oldGateway, Policy policy,
                               Policy oldPolicy, List<String> finalizers, boolean specPresent, boolean deleting,
                               List<FieldViolation> decodeViolations, String moveRequest, String oldMoveRequest) {
    public AdmissionRequest(String uid, Phase phase, ResourceKind kind, Operation operation, String name,
                            String userName, Gateway gateway, Gateway oldGateway, Policy policy, Policy oldPolicy,
                            List<String> finalizers, boolean specPresent, boolean deleting,
                            List<FieldViolation> decodeViolations) {
        this(uid, phase, kind, operation, name, userName, gateway, oldGateway, policy, oldPolicy, finalizers,
                specPresent, deleting, decodeViolations, null, null);
    }

    public AdmissionRequest {
        uid = uid == null ? "" : uid;
        name = name == null ? "" : name;
        userName = userName == null ? "" : userName;
        finalizers = finalizers == null ? null : List.copyOf(finalizers);
        decodeViolations = decodeViolations == null ? List.of() : List.copyOf(decodeViolations);
    }

    /** Validating webhooks may only allow or deny; mutating ones may also return a patch. */
    public enum Phase { VALIDATE, MUTATE }

    /** {@code request.operation}. */
    public enum Operation { CREATE, UPDATE, DELETE, CONNECT }
}
