package io.egressgateway.domain.datapath;

import io.egressgateway.domain.net.Family;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A whole chain the agent owns (name prefix {@code EGRESSGATEWAY-}): its rules in order. The chain is
 * rewritten as a unit; two chains are the same when their rule hashes match in order.
 */
public record IptablesChain(Family family, String table, String chain, List<IptablesRule> rules)
        implements DatapathObject {
    public IptablesChain {
        rules = List.copyOf(rules);
    }

    @Override public Kind kind() { return Kind.IPTABLES_CHAIN; }
    @Override public String key() { return family.suffix() + " " + table + " " + chain; }

    @Override public String render() {
        return "chain " + family.suffix() + " " + table + " " + chain
                + rules.stream().map(r -> "\n  -A " + chain + " " + r.restoreSpec()).collect(Collectors.joining());
    }

    public List<String> hashes() {
        return rules.stream().map(IptablesRule::hash).toList();
    }

    @Override public boolean sameAs(DatapathObject other) {
        return other instanceof IptablesChain c && key().equals(c.key()) && hashes().equals(c.hashes());
    }
}
