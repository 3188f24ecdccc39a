package io.egressgateway.domain.datapath;

import io.egressgateway.domain.net.Family;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A route in one of the agent's tables (tables are numbered from marks, so they never collide with
 * main/local/default or a CNI's). Several next hops make a multipath (ECMP) route. An UNREACHABLE
 * route has no next hop: it is the fail-closed default of a gateway table with no Ready gateway.
 */
public record Route(Family family, long table, String destination, Type type, List<NextHop> nextHops)
        implements DatapathObject {
    public enum Type { UNICAST, UNREACHABLE }

    public Route {
        nextHops = List.copyOf(nextHops);
    }

    @Override public Kind kind() { return Kind.ROUTE; }
    @Override public String key() { return family.suffix() + " table " + Long.toUnsignedString(table) + " " + destination; }
    @Override public String render() {
        String head = "route " + family.suffix() + " table " + Long.toUnsignedString(table) + " "
                + (type == Type.UNREACHABLE ? "unreachable " : "") + destination;
        if (nextHops.size() == 1) {
            return head + " " + nextHops.get(0).render();
        }
        return head + nextHops.stream().map(h -> " nexthop " + h.render()).collect(Collectors.joining());
    }
}
