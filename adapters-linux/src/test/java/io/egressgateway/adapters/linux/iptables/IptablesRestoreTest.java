package io.egressgateway.adapters.linux.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.net.Family;
import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesRestoreTest {
    static final IptablesRule RETURN = IptablesRule.of("-i egress-vxlan+ -j RETURN");
    static final IptablesRule JUMP = IptablesRule.of("-j EGRESSGATEWAY-MARK-REQUEST");
    static final IptablesRule ACCEPT = IptablesRule.of("-m mark --mark 0x26000000/0xff000000 -j ACCEPT");

    static IptablesChain chain() {
        return new IptablesChain(Family.IPV4, "mangle", "EGRESSGATEWAY-MARK-REQUEST", List.of(RETURN));
    }

    static IptablesJump jump(int position, IptablesRule rule) {
        return new IptablesJump(Family.IPV4, "mangle", "PREROUTING", position, rule);
    }

    @Test
    void newChainAndItsJumpsGoInOneTransactionInDependencyOrder() {
        String text = IptablesRestore.build(IptablesSave.parse(""), List.of(DatapathOp.add(chain()),
                DatapathOp.add(jump(1, JUMP)), DatapathOp.add(jump(2, ACCEPT))));
        assertThat(text).isEqualTo("""
                *mangle
                :EGRESSGATEWAY-MARK-REQUEST - [0:0]
                -F EGRESSGATEWAY-MARK-REQUEST
                -A EGRESSGATEWAY-MARK-REQUEST %s
                -I PREROUTING 1 %s
                -I PREROUTING 1 %s
                COMMIT
                """.formatted(RETURN.restoreSpec(), ACCEPT.restoreSpec(), JUMP.restoreSpec()));
    }

    @Test
    void deletesOnlyWhatTheSaveShowsByItsExactText() {
        String saved = """
                *mangle
                :PREROUTING ACCEPT [0:0]
                -A PREROUTING -j KUBE-FOREIGN
                -A PREROUTING -m comment --comment "egw:%s" -j EGRESSGATEWAY-MARK-REQUEST
                COMMIT
                """.formatted(JUMP.hash());
        IptablesChain gone = new IptablesChain(Family.IPV4, "mangle", "EGRESSGATEWAY-SNAT-GONE", List.of());
        String text = IptablesRestore.build(IptablesSave.parse(saved),
                List.of(DatapathOp.delete(jump(1, JUMP)), DatapathOp.delete(chain()), DatapathOp.delete(gone)));
        assertThat(text).isEqualTo("""
                *mangle
                -D PREROUTING -m comment --comment "egw:%s" -j EGRESSGATEWAY-MARK-REQUEST
                COMMIT
                """.formatted(JUMP.hash()));
    }

    @Test
    void jumpsAlreadyInPlaceAreLeftAlone() {
        String saved = """
                *mangle
                :PREROUTING ACCEPT [0:0]
                -A PREROUTING -m comment --comment "egw:%s" -j EGRESSGATEWAY-MARK-REQUEST
                -A PREROUTING -m comment --comment "egw:%s" -j ACCEPT
                COMMIT
                """.formatted(JUMP.hash(), ACCEPT.hash());
        assertThat(IptablesRestore.build(IptablesSave.parse(saved), List.of(DatapathOp.add(jump(1, JUMP)))))
                .isEmpty();
    }

    @Test
    void aMovedJumpRePlacesOurBlockAboveForeignRules() {
        String saved = """
                *mangle
                :PREROUTING ACCEPT [0:0]
                -A PREROUTING -j KUBE-FOREIGN
                -A PREROUTING -m comment --comment "egw:%s" -j ACCEPT
                -A PREROUTING -m comment --comment "egw:%s" -j EGRESSGATEWAY-MARK-REQUEST
                COMMIT
                """.formatted(ACCEPT.hash(), JUMP.hash());
        String text = IptablesRestore.build(IptablesSave.parse(saved), List.of(
                DatapathOp.replace(jump(2, JUMP), jump(1, JUMP)), DatapathOp.replace(jump(1, ACCEPT), jump(2, ACCEPT))));
        assertThat(text).isEqualTo("""
                *mangle
                -D PREROUTING -m comment --comment "egw:%1$s" -j ACCEPT
                -D PREROUTING -m comment --comment "egw:%2$s" -j EGRESSGATEWAY-MARK-REQUEST
                -I PREROUTING 1 %3$s
                -I PREROUTING 1 %4$s
                COMMIT
                """.formatted(ACCEPT.hash(), JUMP.hash(), ACCEPT.restoreSpec(), JUMP.restoreSpec()));
    }
}
