package io.egressgateway.application.port.in;

/**
 * One broken rule: the field path as {@code kubectl explain} spells it ({@code spec.ippools.ipv4[2]}),
 * the offending value as the user wrote it (empty when absent) and what is wrong.
 */
public record FieldViolation(String field, String value, String message) {
    public FieldViolation {
        value = value == null ? "" : value;
    }

    /** "spec.destCIDR[0]: "10.6.1.1/24": host bits are set, use 10.6.1.0/24". */
    public String describe() {
        return field + ": \"" + value + "\": " + message;
    }
}
