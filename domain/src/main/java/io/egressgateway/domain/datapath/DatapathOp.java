package io.egressgateway.domain.datapath;

/**
 * One change to the kernel. {@code previous} is the observed object a REPLACE or DELETE acts on (null
 * for ADD); {@code object} is the desired one (for DELETE, the same as previous).
 */
public record DatapathOp(Action action, DatapathObject object, DatapathObject previous) {
    public enum Action { ADD, REPLACE, DELETE }

    public static DatapathOp add(DatapathObject o) {
        return new DatapathOp(Action.ADD, o, null);
    }

    public static DatapathOp replace(DatapathObject previous, DatapathObject o) {
        return new DatapathOp(Action.REPLACE, o, previous);
    }

    public static DatapathOp delete(DatapathObject previous) {
        return new DatapathOp(Action.DELETE, previous, previous);
    }

    public Kind kind() {
        return object.kind();
    }

    public String render() {
        return action.name().toLowerCase() + " " + object.render();
    }
}
