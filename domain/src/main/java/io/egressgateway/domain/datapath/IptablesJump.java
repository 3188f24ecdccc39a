package io.egressgateway.domain.datapath;

import io.egressgateway.domain.net.Family;

/**
 * A rule the agent places near the top of a built-in chain (PREROUTING, FORWARD, ...): a jump to an
 * owned chain or an accept of owned marks. {@code position} is its 1-based place among the agent's
 * own rules in that chain; foreign rules are never moved or counted.
 */
public record IptablesJump(Family family, String table, String chain, int position, IptablesRule rule)
        implements DatapathObject {
    @Override public Kind kind() { return Kind.IPTABLES_JUMP; }
    @Override public String key() { return family.suffix() + " " + table + " " + chain + " " + rule.hash(); }
    @Override public String render() {
        return "jump " + family.suffix() + " " + table + " " + chain + " " + position + ": " + rule.restoreSpec();
    }

    @Override public boolean sameAs(DatapathObject other) {
        return other instanceof IptablesJump j && key().equals(j.key()) && position == j.position;
    }
}
