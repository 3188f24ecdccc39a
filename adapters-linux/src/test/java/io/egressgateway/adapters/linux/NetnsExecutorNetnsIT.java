package io.egressgateway.adapters.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import io.egressgateway.adapters.linux.sys.ProcessRunner;
import io.egressgateway.adapters.linux.sys.Sysctls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetnsExecutorNetnsIT {
    private static Netns netns;
    private static String ns;

    @BeforeAll
    static void setUp() {
        Netns.assumeRoot();
        netns = new Netns();
        ns = netns.add("exec");
    }

    @AfterAll
    static void tearDown() {
        if (netns != null) {
            netns.close();
        }
    }

    @Test
    void childProcessesInheritTheThreadsNamespace() throws Exception {
        String target = "net:[" + Files.getAttribute(Path.of("/var/run/netns", ns), "unix:ino") + "]";
        try (NetnsExecutor e = NetnsExecutor.open(Optional.of(ns), "test-" + ns)) {
            String child = e.call(() -> ProcessRunner.check(List.of("readlink", "/proc/self/ns/net"), null)).strip();
            assertThat(child).isEqualTo(target);
        }
        String jvm = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        assertThat(jvm).as("the JVM's other threads stay in their namespace").isNotEqualTo(target);
    }

    @Test
    void procSysWritesOnTheThreadLandInItsNamespaceOnly() {
        String hostBefore = Sysctls.read("net/ipv4/conf/lo/forwarding").orElseThrow();
        String wanted = "0".equals(hostBefore) ? "1" : "0";
        try (NetnsExecutor e = NetnsExecutor.open(Optional.of(ns), "test-sysctl-" + ns)) {
            e.run(() -> Sysctls.write("net/ipv4/conf/lo/forwarding", wanted));
            assertThat(e.call(() -> Sysctls.read("net/ipv4/conf/lo/forwarding")).orElseThrow()).isEqualTo(wanted);
        }
        assertThat(Netns.exec(ns, "cat", "/proc/sys/net/ipv4/conf/lo/forwarding").strip()).isEqualTo(wanted);
        assertThat(Sysctls.read("net/ipv4/conf/lo/forwarding").orElseThrow()).isEqualTo(hostBefore);
    }

    @Test
    void aMissingNamespaceIsNamed() {
        assertThatThrownBy(() -> NetnsExecutor.open(Optional.of(ns + "-missing"), "t"))
                .hasMessageContaining(ns + "-missing").hasMessageContaining("does not exist");
    }
}
