package io.egressgateway.adapters.linux.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SysctlsTest {
    /** What an agent in an unprivileged container logs for a value it must change and may not. */
    @Test
    void aReadOnlyProcSysNamesTheSysctlAndBothFixes() {
        assertThat(Sysctls.readOnlyMessage("net/ipv4/ip_forward", "1", "/proc/sys/net/ipv4/ip_forward: Read-only file system"))
                .contains("cannot write sysctl net/ipv4/ip_forward = 1")
                .contains("/proc/sys is read-only")
                .contains("egressgateway prepare-node")
                .contains("sysctl -w net.ipv4.ip_forward=1");
    }
}
