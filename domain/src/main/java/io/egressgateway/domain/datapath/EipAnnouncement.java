package io.egressgateway.domain.datapath;

/**
 * This node answers ARP (IPv4) or NDP (IPv6) for an egress IP on {@code device}, the interface whose
 * subnet holds it, without the address being on any interface. How it answers is the kernel
 * adapter's business; taking one over sends gratuitous ARP / unsolicited neighbour advertisements.
 */
public record EipAnnouncement(String ip, String device) implements DatapathObject {
    @Override public Kind kind() { return Kind.EIP_ANNOUNCEMENT; }
    @Override public String key() { return ip; }
    @Override public String render() { return "announce " + ip + " dev " + device; }
}
