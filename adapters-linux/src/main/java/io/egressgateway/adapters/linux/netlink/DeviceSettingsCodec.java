package io.egressgateway.adapters.linux.netlink;

import static io.egressgateway.adapters.linux.netlink.Rtnl.AF_INET;
import static io.egressgateway.adapters.linux.netlink.Rtnl.AF_UNSPEC;
import static io.egressgateway.adapters.linux.netlink.Rtnl.NLM_F_ACK;
import static io.egressgateway.adapters.linux.netlink.Rtnl.NLM_F_REQUEST;

import java.util.Map;
import java.util.Optional;

/**
 * Per-device settings that /proc/sys also shows, set through rtnetlink instead: that needs only
 * CAP_NET_ADMIN, while /proc/sys is mounted read-only in a container that is not privileged.
 * IPv4 device configuration ({@code net/ipv4/conf/<device>/<name>}): RTM_SETLINK with
 * IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF, one u32 attribute per value, its type the
 * IPV4_DEVCONF_* index (linux/ip.h). IPv6 has no such way (IFLA_INET6_CONF is read-only). EIPs need
 * no neighbour-table setting: the agent answers ARP/NDP for them itself (EipResponder).
 */
public final class DeviceSettingsCodec {
    public static final int RTM_SETLINK = 19;
    static final int IFLA_AF_SPEC = 26;
    static final int IFLA_INET_CONF = 1;

    /** IPV4_DEVCONF_* of linux/ip.h for the names the agent sets. */
    private static final Map<String, Integer> IPV4_DEVCONF = Map.of("forwarding", 1, "proxy_arp", 3, "rp_filter", 8);

    private DeviceSettingsCodec() {
    }

    /** A device's IPv4 setting named by its /proc/sys path. */
    public record Ipv4DevConf(String device, String name, int attribute) {
    }

    /**
     * {@code net/ipv4/conf/<device>/<name>} for a real device (not {@code all} or {@code default}) and
     * a name this codec knows, else empty (the caller writes /proc/sys).
     */
    public static Optional<Ipv4DevConf> ipv4DevConf(String sysctlPath) {
        String[] p = sysctlPath.split("/");
        if (p.length != 5 || !p[0].equals("net") || !p[1].equals("ipv4") || !p[2].equals("conf")
                || p[3].equals("all") || p[3].equals("default") || !IPV4_DEVCONF.containsKey(p[4])) {
            return Optional.empty();
        }
        return Optional.of(new Ipv4DevConf(p[3], p[4], IPV4_DEVCONF.get(p[4])));
    }

    public static NlMsg setIpv4DevConf(int ifindex, int attribute, int value) {
        return new NlMsg(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK)
                .u8(AF_UNSPEC).u8(0).u16(0).u32(ifindex).u32(0).u32(0)
                .nest(IFLA_AF_SPEC).nest(AF_INET).nest(IFLA_INET_CONF)
                .attrU32(attribute, value)
                .end().end().end();
    }
}
