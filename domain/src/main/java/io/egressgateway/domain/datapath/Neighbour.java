package io.egressgateway.domain.datapath;

/** A permanent neighbour on a tunnel device: a peer's tunnel IP and its tunnel MAC. */
public record Neighbour(String device, String ip, String mac) implements DatapathObject {
    @Override public Kind kind() { return Kind.NEIGHBOUR; }
    @Override public String key() { return device + " " + ip; }
    @Override public String render() { return "neighbour " + ip + " lladdr " + mac + " dev " + device + " permanent"; }
}
