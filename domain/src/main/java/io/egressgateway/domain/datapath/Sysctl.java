package io.egressgateway.domain.datapath;

/** A value under /proc/sys, path relative to it with slashes, e.g. {@code net/ipv4/ip_forward}. */
public record Sysctl(String path, String value) implements DatapathObject {
    @Override public Kind kind() { return Kind.SYSCTL; }
    @Override public String key() { return path; }
    @Override public String render() { return "sysctl " + path + " = " + value; }
}
