package io.egressgateway.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestbedOptionsTest {

    @Test
    void defaultsAreTheSpecTopology() {
        TestbedOptions o = TestbedOptions.builder().build();
        assertThat(o.nodes()).isEqualTo(3);
        assertThat(o.gatewayNodes()).containsExactlyInAnyOrder(2, 3);
        assertThat(o.backend()).isEqualTo(IptablesBackend.NFT);
    }

    @Test
    void namesTheWrongField() {
        assertThatThrownBy(() -> TestbedOptions.builder().nodes(2).build())
                .hasMessageContaining("gatewayNodes").hasMessageContaining("node 3");
        assertThatThrownBy(() -> TestbedOptions.builder().pod("Bad_Name", 1, Map.of()).build())
                .hasMessageContaining("Bad_Name");
        assertThatThrownBy(() -> TestbedOptions.builder().pod("a", 1, Map.of()).pod("a", 2, Map.of()).build())
                .hasMessageContaining("used twice");
        assertThatThrownBy(() -> TestbedOptions.builder().pod("a", 7, Map.of()).build())
                .hasMessageContaining("node 7");
        assertThatThrownBy(() -> IptablesBackend.parse("iptables")).hasMessageContaining("\"iptables\"");
    }

    @Test
    void addressesFollowThePlan() {
        assertThat(Addressing.nodeV4(2)).isEqualTo("192.0.2.12");
        assertThat(Addressing.podCidrV6(12)).isEqualTo("fd00:10:244:c::/64");
        assertThat(Addressing.podV6(1, 0)).isEqualTo("fd00:10:244:1::a");
    }
}
