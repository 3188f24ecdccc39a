package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.netlink.DeviceSettingsCodec;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.Rtnl;
import io.egressgateway.adapters.linux.sys.Sysctls;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.net.Family;
import java.util.List;

/**
 * What the kernel's proxy ARP/NDP needs besides the proxy entry and the host route (linux-adapter.md,
 * "EIP announcement"), without writing /proc/sys where it can be avoided (a container that is not
 * privileged has it read-only):
 * <ul>
 *   <li>{@code proxy_delay = 0} on the announcing device, through RTM_SETNEIGHTBL (CAP_NET_ADMIN);</li>
 *   <li>IPv6: {@code proxy_ndp}, which netlink cannot set. The kernel answers when
 *       {@code conf/all/proxy_ndp} or the device's own value is 1; {@code prepare-node} sets
 *       {@code all} once ({@link #NODE_WIDE_IPV6}), and then nothing is written here. Otherwise the
 *       device's value is written, and a read-only /proc/sys fails with the fix in the message.</li>
 * </ul>
 */
final class ProxyNeighbourSettings {
    /** Set once per node by {@code egressgateway prepare-node} when IPv6 is enabled. */
    static final List<Sysctl> NODE_WIDE_IPV6 = List.of(new Sysctl("net/ipv6/conf/all/proxy_ndp", "1"));

    private ProxyNeighbourSettings() {
    }

    static void ensure(NetlinkSocket nl, Family family, int ifindex, String device) {
        nl.execute(DeviceSettingsCodec.setProxyDelay(Rtnl.family(family), ifindex, 0),
                "set " + (family == Family.IPV4 ? "ipv4" : "ipv6") + " proxy_delay 0 on " + device);
        if (family == Family.IPV6 && !"1".equals(Sysctls.read("net/ipv6/conf/all/proxy_ndp").orElse(""))
                && !"1".equals(Sysctls.read("net/ipv6/conf/" + device + "/proxy_ndp").orElse(""))) {
            Sysctls.write("net/ipv6/conf/" + device + "/proxy_ndp", "1");
        }
    }
}
