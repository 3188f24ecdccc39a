package io.egressgateway.application.port.in;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The answer to one admission request. A denial carries every violation and an HTTP-style code
 * (400 invalid, 403 forbidden, 409 conflict); an allowed mutating answer may carry a patch and
 * warnings ({@code kubectl} prints them: "destCIDR 10.6.1.1/24 normalised to 10.6.1.0/24").
 */
public record AdmissionDecision(boolean allowed, int code, String message, List<FieldViolation> violations,
                                List<PatchOperation> patch, List<String> warnings) {
    public AdmissionDecision {
        message = message == null ? "" : message;
        violations = violations == null ? List.of() : List.copyOf(violations);
        patch = patch == null ? List.of() : List.copyOf(patch);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public AdmissionDecision(boolean allowed, int code, String message, List<FieldViolation> violations,
                             List<PatchOperation> patch) {
        this(allowed, code, message, violations, patch, List.of());
    }

    public static AdmissionDecision patch(List<PatchOperation> ops, List<String> warnings) {
        return new AdmissionDecision(true, 200, "", List.of(), ops, warnings);
    }

    public static AdmissionDecision allow() {
        return new AdmissionDecision(true, 200, "", List.of(), List.of());
    }

    public static AdmissionDecision patch(List<PatchOperation> ops) {
        return new AdmissionDecision(true, 200, "", List.of(), ops);
    }

    public static AdmissionDecision deny(int code, String message) {
        return new AdmissionDecision(false, code, message, List.of(), List.of());
    }

    /** A 400 denial whose message lists every violation, prefixed by what was refused. */
    public static AdmissionDecision invalid(String what, List<FieldViolation> violations) {
        String all = violations.stream().map(FieldViolation::describe).collect(Collectors.joining("; "));
        return new AdmissionDecision(false, 400, what + " is invalid: " + all, violations, List.of());
    }
}
