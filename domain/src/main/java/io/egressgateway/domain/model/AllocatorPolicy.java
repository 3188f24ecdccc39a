package io.egressgateway.domain.model;

/** How an EIP is chosen when the policy pins none: the gateway's default EIP, or a free pool IP spread over nodes. */
public enum AllocatorPolicy { DEFAULT, RR;

    public String text() {
        return this == DEFAULT ? "default" : "rr";
    }
}
