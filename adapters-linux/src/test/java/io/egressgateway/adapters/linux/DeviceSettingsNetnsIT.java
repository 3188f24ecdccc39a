package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.linux.netlink.DeviceSettingsCodec;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.Rtnl;
import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.application.port.out.ApplyDatapathPort.ApplyReport;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.net.Family;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-device settings the agent sets through netlink rather than /proc/sys (read-only in an
 * unprivileged container): rp_filter of a device (RTM_SETLINK, IFLA_INET_CONF) and proxy_delay
 * (RTM_SETNEIGHTBL); proxy_ndp only where neither {@code all} nor the device has it; and the
 * prepare-node writes, which leave a value that is already right alone. Read back through /proc/sys
 * of the namespace.
 */
class DeviceSettingsNetnsIT {
    private static Netns netns;
    private static String ns;

    @BeforeAll
    static void setUp() {
        Netns.assumeRoot();
        netns = new Netns();
        ns = netns.add("devconf");
        exec(ns, "ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        exec(ns, "ip", "link", "set", "d0", "up");
    }

    @AfterAll
    static void tearDown() {
        if (netns != null) {
            netns.close();
        }
    }

    private static String proc(String path) {
        return exec(ns, "cat", "/proc/sys/" + path).strip();
    }

    @Test
    void aDevicesRpFilterIsSetThroughNetlinkByTheApplyPort() {
        exec(ns, "sysctl", "-qw", "net.ipv4.conf.d0.rp_filter=1");
        try (LinuxDatapath dp = LinuxDatapath.open(Optional.of(ns), IptablesBackend.AUTO)) {
            ApplyReport r = dp.applyPort().apply(List.of(DatapathOp.add(new Sysctl("net/ipv4/conf/d0/rp_filter", "2"))));
            assertThat(r.failures()).isEmpty();
        }
        assertThat(proc("net/ipv4/conf/d0/rp_filter")).isEqualTo("2");
        assertThat(proc("net/ipv4/conf/all/rp_filter")).as("only the device's own value").isNotEqualTo("2");
    }

    @Test
    void proxyDelayIsSetPerDeviceAndFamilyThroughTheNeighbourTable() {
        exec(ns, "sysctl", "-qw", "net.ipv4.neigh.d0.proxy_delay=80", "net.ipv6.neigh.d0.proxy_delay=80");
        try (NetnsExecutor e = NetnsExecutor.open(Optional.of(ns), "test-neightbl-" + ns)) {
            e.run(() -> {
                try (NetlinkSocket nl = NetlinkSocket.open()) {
                    int index = KernelLinks.dump(nl).index("d0", "test");
                    // milliseconds on netlink; /proc/sys shows USER_HZ ticks (1/100 s)
                    nl.execute(DeviceSettingsCodec.setProxyDelay(Rtnl.AF_INET6, index, 300), "ndisc proxy_delay");
                    ProxyNeighbourSettings.ensure(nl, Family.IPV4, index, "d0");
                }
            });
        }
        assertThat(proc("net/ipv4/neigh/d0/proxy_delay")).isEqualTo("0");
        assertThat(proc("net/ipv6/neigh/d0/proxy_delay")).isEqualTo("30");
        assertThat(proc("net/ipv4/neigh/lo/proxy_delay")).as("another device keeps its own").isNotEqualTo("0");
    }

    @Test
    void proxyNdpIsWrittenOnlyWhereNeitherAllNorTheDeviceHasIt() {
        exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.proxy_ndp=1", "net.ipv6.conf.d0.proxy_ndp=0");
        ensureV6();
        assertThat(proc("net/ipv6/conf/d0/proxy_ndp")).as("all=1 is enough: nothing written").isEqualTo("0");

        exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.proxy_ndp=0");
        ensureV6();
        assertThat(proc("net/ipv6/conf/d0/proxy_ndp")).isEqualTo("1");
        assertThat(proc("net/ipv6/neigh/d0/proxy_delay")).isEqualTo("0");
    }

    private static void ensureV6() {
        try (NetnsExecutor e = NetnsExecutor.open(Optional.of(ns), "test-ndp-" + ns)) {
            e.run(() -> {
                try (NetlinkSocket nl = NetlinkSocket.open()) {
                    ProxyNeighbourSettings.ensure(nl, Family.IPV6, KernelLinks.dump(nl).index("d0", "test"), "d0");
                }
            });
        }
    }

    @Test
    void prepareNodeWritesOnlyWhatDiffers() {
        exec(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.fib_multipath_hash_policy=0");
        List<Sysctl> wanted = List.of(new Sysctl("net/ipv4/ip_forward", "1"),
                new Sysctl("net/ipv4/fib_multipath_hash_policy", "1"));
        assertThat(LinuxDatapath.readSysctls(Optional.of(ns), List.of("net/ipv4/ip_forward", "net/ipv4/no_such_thing")))
                .containsOnlyKeys("net/ipv4/ip_forward");

        assertThat(LinuxDatapath.writeSysctls(Optional.of(ns), wanted))
                .containsExactly("net/ipv4/fib_multipath_hash_policy 0 -> 1");
        assertThat(LinuxDatapath.writeSysctls(Optional.of(ns), wanted)).isEmpty();
        assertThat(proc("net/ipv4/fib_multipath_hash_policy")).isEqualTo("1");
    }
}
