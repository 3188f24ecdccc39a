package io.egressgateway.domain.validation;

/**
 * One defaulting change as a JSON-patch operation: {@code op} is "add" (sets a member, whether it
 * exists or not) or "replace" (an array element); {@code path} is a JSON pointer
 * ({@code /spec/egressIP/mode}); {@code value} is a String, or a {@code Map<String, Object>} when
 * a whole missing object is added; {@code reason} says why, for a webhook warning or a log line.
 */
public record Change(String op, String path, Object value, String reason) {

    static Change add(String path, Object value, String reason) {
        return new Change("add", path, value, reason);
    }

    static Change replace(String path, Object value, String reason) {
        return new Change("replace", path, value, reason);
    }
}
