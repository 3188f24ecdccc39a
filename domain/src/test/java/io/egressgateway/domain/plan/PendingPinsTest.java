package io.egressgateway.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.net.Family;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingPinsTest {
    private static final ConnectionPin A = new ConnectionPin(Family.IPV4, 0x26010000L, 0xffff0000L);
    private static final ConnectionPin B = new ConnectionPin(Family.IPV6, 0x80020000L, 0xffff0000L);

    @Test
    void pendingPinsRoundTripThroughTheirChainsAsIptablesSaveShowsThem() {
        Datapath desired = PendingPins.with(Datapath.empty(), List.of(A, B));
        assertThat(desired.ofType(IptablesChain.class)).extracting(IptablesChain::key)
                .containsExactlyInAnyOrder("v4 mangle EGRESSGATEWAY-LOST-PINS", "v6 mangle EGRESSGATEWAY-LOST-PINS");
        assertThat(PendingPins.in(desired)).containsExactlyInAnyOrder(A, B);
        // observed: the spec iptables-save prints (no comment), the hash read from the comment
        IptablesChain observed = new IptablesChain(Family.IPV4, "mangle", PendingPins.CHAIN, List.of(new IptablesRule(
                "-m connmark --mark 0x26010000/0xffff0000 -j RETURN", IptablesRule.of(
                        "-m connmark --mark 0x26010000/0xffff0000 -j RETURN").hash())));
        assertThat(PendingPins.in(Datapath.of(List.of(observed)))).containsExactly(A);
        assertThat(PendingPins.with(Datapath.empty(), List.of())).isEqualTo(Datapath.empty());
    }
}
