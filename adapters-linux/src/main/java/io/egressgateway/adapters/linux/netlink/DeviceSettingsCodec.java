package io.egressgateway.adapters.linux.netlink;

import static io.egressgateway.adapters.linux.netlink.Rtnl.AF_INET;
import static io.egressgateway.adapters.linux.netlink.Rtnl.AF_UNSPEC;
import static io.egressgateway.adapters.linux.netlink.Rtnl.NLM_F_ACK;
import static io.egressgateway.adapters.linux.netlink.Rtnl.NLM_F_REQUEST;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;

/**
 * Per-device settings that /proc/sys also shows, set through rtnetlink instead: that needs only
 * CAP_NET_ADMIN, while /proc/sys is mounted read-only in a container that is not privileged.
 * <ul>
 *   <li>IPv4 device configuration ({@code net/ipv4/conf/<device>/<name>}): RTM_SETLINK with
 *       IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF, one u32 attribute per value, its type the
 *       IPV4_DEVCONF_* index (linux/ip.h). IPv6 has no such way (IFLA_INET6_CONF is read-only).</li>
 *   <li>Neighbour-table parameters of one device ({@code net/ipv4/neigh/<device>/proxy_delay} and the
 *       IPv6 twin): RTM_SETNEIGHTBL naming the table ({@code arp_cache}, {@code ndisc_cache}) with
 *       NDTA_PARMS holding the device's index and NDTPA_PROXY_DELAY in milliseconds.</li>
 * </ul>
 */
public final class DeviceSettingsCodec {
    public static final int RTM_SETLINK = 19;
    public static final int RTM_SETNEIGHTBL = 67;
    static final int IFLA_AF_SPEC = 26;
    static final int IFLA_INET_CONF = 1;
    static final int NDTA_NAME = 1;
    static final int NDTA_PARMS = 6;
    static final int NDTPA_IFINDEX = 1;
    static final int NDTPA_PROXY_DELAY = 13;

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

    /** {@code family} AF_INET (ARP) or AF_INET6 (NDP). */
    public static NlMsg setProxyDelay(int family, int ifindex, long millis) {
        return new NlMsg(RTM_SETNEIGHTBL, NLM_F_REQUEST | NLM_F_ACK)
                .u8(family).u8(0).u16(0)
                .attrString(NDTA_NAME, family == AF_INET ? "arp_cache" : "ndisc_cache")
                .nest(NDTA_PARMS)
                .attrU32(NDTPA_IFINDEX, ifindex)
                .attr(NDTPA_PROXY_DELAY, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(millis).array())
                .end();
    }
}
