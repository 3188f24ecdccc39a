package io.egressgateway.domain.model;

/** How a gateway spreads traffic over its Ready nodes. */
public enum ForwardMethod {
    /** Each policy's traffic goes to one node (the one carrying its EIP, or one chosen per policy). */
    ACTIVE_PASSIVE("active-passive"),
    /** Policies in mode NodeIP or None are spread over all Ready nodes by equal-cost multipath. */
    ACTIVE_ACTIVE("active-active");

    private final String text;

    ForwardMethod(String text) {
        this.text = text;
    }

    /** The spelling used in configuration and in {@code status.forwardMethod}. */
    public String text() {
        return text;
    }

    public static ForwardMethod parse(String text) {
        for (ForwardMethod m : values()) {
            if (m.text.equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("forwardMethod '" + text + "' is not one of active-passive, active-active");
    }
}
