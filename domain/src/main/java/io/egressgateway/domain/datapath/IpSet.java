package io.egressgateway.domain.datapath;

import io.egressgateway.domain.net.Family;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A {@code hash:net} set. Members are canonical CIDRs with an explicit prefix (a host is /32 or
 * /128), sorted; the kernel adapter normalises what {@code ipset list} prints before building one.
 */
public record IpSet(String name, Family family, List<String> members) implements DatapathObject {
    public IpSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        members = List.copyOf(new TreeSet<>(members));
    }

    @Override public Kind kind() { return Kind.IPSET; }
    @Override public String key() { return name; }
    @Override public String render() {
        return "ipset " + name + " hash:net family " + (family == Family.IPV4 ? "inet" : "inet6")
                + " members " + String.join(",", members);
    }
}
