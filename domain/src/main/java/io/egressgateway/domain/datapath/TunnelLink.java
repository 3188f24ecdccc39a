package io.egressgateway.domain.datapath;

import io.egressgateway.domain.net.Family;

/**
 * A VXLAN device: {@code underlay} is the family of {@code localIp} on {@code parent}. Learning is
 * always off: peers are programmed as permanent neighbours and FDB entries.
 */
public record TunnelLink(String name, Family underlay, int vni, int port, String parent, String localIp,
                         String mac, int mtu) implements DatapathObject {
    @Override public Kind kind() { return Kind.LINK; }
    @Override public String key() { return name; }
    @Override public String render() {
        return "link " + name + " vxlan id " + vni + " dstport " + port + " dev " + parent + " local " + localIp
                + " address " + mac + " mtu " + mtu + " nolearning";
    }
}
