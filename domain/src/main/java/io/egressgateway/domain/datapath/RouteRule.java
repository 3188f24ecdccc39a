package io.egressgateway.domain.datapath;

import io.egressgateway.domain.net.Family;

/** {@code ip rule pref <priority> fwmark <mark>/<mask> lookup <table>}; marks are unsigned 32-bit. */
public record RouteRule(Family family, int priority, long mark, long mask, long table) implements DatapathObject {
    @Override public Kind kind() { return Kind.RULE; }
    @Override public String key() { return family.suffix() + " " + priority + " " + Marks.hex(mark) + "/" + Marks.hex(mask); }
    @Override public String render() {
        return "rule " + family.suffix() + " pref " + priority + " fwmark " + Marks.hex(mark) + "/" + Marks.hex(mask)
                + " lookup " + Long.toUnsignedString(table);
    }
}
