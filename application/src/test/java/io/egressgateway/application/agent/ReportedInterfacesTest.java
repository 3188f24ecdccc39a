package io.egressgateway.application.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.InterfaceFacts;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.model.NodeInterface;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportedInterfacesTest {

    private static InterfaceFacts nic(String name, String v4) {
        return new InterfaceFacts(name, 1500, "02:00:00:00:00:01", v4 == null ? List.of() : List.of(v4), List.of());
    }

    /** A node with 40 pods: their veths, a bridge, lo and the tunnel device are left out. */
    private static NodeFacts busyNode() {
        List<InterfaceFacts> all = new ArrayList<>(List.of(nic("lo", "127.0.0.1/8"), nic("eth0", "10.6.0.10/16"),
                nic("eth1", "10.7.0.10/16"), nic("cni0", "10.244.1.1/24"), nic("egress.vxlan", "172.31.0.10/16")));
        for (int i = 0; i < 40; i++) {
            all.add(nic("veth" + i, null));
        }
        return new NodeFacts(all, "eth0", null);
    }

    private static TunnelLink tunnel(String parent) {
        return new TunnelLink("egress.vxlan", Family.IPV4, 100, 4789, parent, "10.6.0.10", "66:00:00:00:00:01", 1450);
    }

    @Test
    void reportsTheTunnelParentAndTheDefaultRouteDevice() {
        List<NodeInterface> r = ReportedInterfaces.of(Datapath.of(List.of(tunnel("eth0"))), busyNode());
        assertThat(r).extracting(NodeInterface::name).containsExactly("eth0");
        assertThat(r.get(0).ipv4()).containsExactly("10.6.0.10/16");
    }

    @Test
    void reportsTheDeviceAnEipIsAnsweredOnToo() {
        Datapath d = Datapath.of(List.of(tunnel("eth0"), new EipAnnouncement("10.7.1.55", "eth1")));
        assertThat(ReportedInterfaces.of(d, busyNode())).extracting(NodeInterface::name).containsExactly("eth0", "eth1");
    }

    @Test
    void beforeATunnelIsPlannedTheDefaultRouteDeviceStandsForTheUnderlay() {
        assertThat(ReportedInterfaces.of(Datapath.empty(), busyNode())).extracting(NodeInterface::name)
                .containsExactly("eth0");
    }

    @Test
    void aNodeWithoutDefaultRouteOrTunnelReportsNothing() {
        NodeFacts none = new NodeFacts(busyNode().interfaces(), null, "");
        assertThat(ReportedInterfaces.of(Datapath.empty(), none)).isEmpty();
    }
}
