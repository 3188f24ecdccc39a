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
 * unprivileged container): rp_filter of a device (RTM_SETLINK, IFLA_INET_CONF); and the
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
