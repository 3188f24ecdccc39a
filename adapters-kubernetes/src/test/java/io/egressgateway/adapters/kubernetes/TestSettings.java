package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.config.Settings;
import io.egressgateway.domain.model.ForwardMethod;
import java.time.Duration;
import java.util.List;

/** The reference.conf defaults, with knobs tests turn. */
final class TestSettings {
    static final String NAMESPACE = "egressgateway";

    private TestSettings() {
    }

    static Settings defaults() {
        return with(ForwardMethod.ACTIVE_PASSIVE, 100);
    }

    static Settings with(ForwardMethod fm, int maxEndpointsPerSlice) {
        return with(fm, maxEndpointsPerSlice, new Settings.Cluster(List.of("10.244.0.0/16"), List.of("10.96.0.0/12"),
                List.of()));
    }

    /** The defaults of a real install: no cluster CIDR setting, the controller detects them. */
    static Settings detecting() {
        return with(ForwardMethod.ACTIVE_PASSIVE, 100, new Settings.Cluster(List.of(), List.of(), List.of()));
    }

    static Settings with(ForwardMethod fm, int maxEndpointsPerSlice, Settings.Cluster cluster) {
        return new Settings(fm, true, true, NAMESPACE,
                new Settings.Tunnel("172.31.0.0/16", "fd11::/112", "egress-vxlan-v4", "egress-vxlan-v6", 100, 7789,
                        "auto"),
                new Settings.Mark(0x26000000L, 0xff000000L, 0x0000ffffL, 99),
                new Settings.Iptables(Settings.IptablesBackend.AUTO),
                new Settings.Heartbeat(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), true),
                cluster,
                new Settings.Agent(Duration.ofMillis(100), Duration.ofSeconds(60)), false, maxEndpointsPerSlice,
                new Settings.Ports(0, 0, 0));
    }
}
