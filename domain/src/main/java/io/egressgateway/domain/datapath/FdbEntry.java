package io.egressgateway.domain.datapath;

/** A VXLAN forwarding entry: frames for a peer's tunnel MAC go to that peer's underlay IP. */
public record FdbEntry(String device, String mac, String destination) implements DatapathObject {
    @Override public Kind kind() { return Kind.FDB; }
    @Override public String key() { return device + " " + mac; }
    @Override public String render() { return "fdb " + mac + " dev " + device + " dst " + destination; }
}
