package io.egressgateway.adapters.linux;

import static io.egressgateway.adapters.linux.Netns.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.application.port.out.ReadTrafficCountersPort.Count;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.TrafficCounter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The nfacct objects behind the traffic metrics (docs/traffic-metrics.md) on the real kernel: one
 * namespace's objects are invisible to another's, a rule naming one counts exact IP bytes, a scrape
 * reads them from a thread outside the namespace, creating an existing object keeps its counts, and
 * an object in use cannot be deleted until its rule is gone.
 */
class NfacctNetnsIT {
    private static final TrafficCounter COUNTER = TrafficCounter.steered("shop");
    @RegisterExtension
    static final NetnsExtension netns = new NetnsExtension();

    @Test
    void countersArePerNamespaceExactAndSurviveACreateOfTheSameName() throws Exception {
        String a = netns.add("na");
        String b = netns.add("nb");
        try (LinuxDatapath dpA = LinuxDatapath.open(Optional.of(a), IptablesBackend.AUTO);
             LinuxDatapath dpB = LinuxDatapath.open(Optional.of(b), IptablesBackend.AUTO)) {
            assertThat(dpA.trafficCountersPort().supported()).as("this kernel has nfacct").isTrue();
            assertThat(dpA.applyPort().apply(List.of(DatapathOp.add(COUNTER))).failures()).isEmpty();
            assertThat(dpA.trafficCountersPort().read()).containsEntry(COUNTER.name(), new Count(0, 0));
            assertThat(dpB.trafficCountersPort().read()).as("another namespace's objects").isEmpty();

            String iptables = dpA.iptablesBackend() == IptablesBackend.LEGACY ? "iptables-legacy" : "iptables";
            exec(a, iptables, "-w", "-A", "OUTPUT", "-o", "lo", "-p", "udp", "--dport", "9", "-m", "nfacct",
                    "--nfacct-name", COUNTER.name());
            send(dpA, 3, 100);
            // 3 datagrams of 100 bytes: 3 x (20 IPv4 + 8 UDP + 100)
            assertThat(dpA.trafficCountersPort().read()).containsEntry(COUNTER.name(), new Count(3, 384));

            assertThat(dpA.applyPort().apply(List.of(DatapathOp.add(COUNTER))).failures()).isEmpty();
            assertThat(dpA.trafficCountersPort().read()).as("after a create of the same name")
                    .containsEntry(COUNTER.name(), new Count(3, 384));
            assertThat(dpA.observePort().observe(Fixtures.SCOPE).ofType(TrafficCounter.class))
                    .containsExactly(TrafficCounter.observed(COUNTER.name()));

            assertThat(dpA.applyPort().apply(List.of(DatapathOp.delete(COUNTER))).failures())
                    .as("a delete while a rule names it").singleElement()
                    .satisfies(f -> assertThat(f.reason()).contains("EBUSY"));
            exec(a, iptables, "-w", "-F", "OUTPUT");
            assertThat(dpA.applyPort().apply(List.of(DatapathOp.delete(COUNTER))).failures()).isEmpty();
            assertThat(dpA.trafficCountersPort().read()).isEmpty();
            assertThat(dpA.applyPort().apply(List.of(DatapathOp.delete(COUNTER))).failures())
                    .as("deleting what is already gone").isEmpty();
        }
    }

    private static void send(LinuxDatapath dp, int datagrams, int size) {
        dp.executor().call(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                for (int i = 0; i < datagrams; i++) {
                    s.send(new DatagramPacket(new byte[size], size, InetAddress.getLoopbackAddress(), 9));
                }
            }
            return null;
        });
    }
}
