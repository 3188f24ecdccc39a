package io.egressgateway.application.port.in;

/**
 * One RFC 6902 operation of a mutating webhook's answer. {@code path} is a JSON pointer into the
 * object; {@code value} is a String, Boolean, Number, a List or Map of those, or null for remove.
 */
public record PatchOperation(Op op, String path, Object value) {
    public enum Op { ADD, REPLACE, REMOVE }

    public static PatchOperation add(String path, Object value) {
        return new PatchOperation(Op.ADD, path, value);
    }
}
