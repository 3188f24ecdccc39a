package io.egressgateway.domain.validation;

/**
 * One broken rule: the field path as users see it ({@code spec.ippools.ipv4[1]}), the offending
 * value as written (empty when the problem is a missing value), and what is wrong.
 */
public record Violation(String field, String value, String message) {

    /** "field: message", the way it reads in a {@code kubectl apply} error. */
    public String describe() {
        return field + ": " + message;
    }
}
