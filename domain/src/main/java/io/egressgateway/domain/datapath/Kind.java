package io.egressgateway.domain.datapath;

/**
 * The kinds of kernel object the agent owns, in the order they are created. Deletes run in the
 * reverse order, after all creates and replaces, so that nothing is deleted while something that
 * is kept still refers to it (an ipset referenced by a rule, a device used by a route).
 */
public enum Kind {
    SYSCTL(false),
    LINK(true),
    ADDRESS(true),
    NEIGHBOUR(true),
    FDB(true),
    EIP_ANNOUNCEMENT(true),
    IPSET(true),
    ROUTE(true),
    RULE(true),
    /** Accounting objects: created before the rules that name them, deleted after. */
    NFACCT(true),
    IPTABLES_CHAIN(true),
    IPTABLES_JUMP(true);

    private final boolean deletable;

    Kind(boolean deletable) {
        this.deletable = deletable;
    }

    /** False for settings such as sysctls: they are set where needed, never "deleted". */
    public boolean deletable() {
        return deletable;
    }
}
