package io.egressgateway.adapters.linux.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.config.Settings.ChainInsertMode;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.net.Family;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Insert mode moves back above a foreign rule at a bounded rate; Append mode never moves for one. */
class JumpPlacementTest {
    static final IptablesRule SNAT = IptablesRule.of("-j EGRESSGATEWAY-SNAT-EIP");
    static final IptablesRule ACCEPT = IptablesRule.of("-m mark --mark 0x26000000/0xff000000 -j ACCEPT");
    static final OwnershipScope SCOPE = new OwnershipScope("egress-vxlan-", "egress-", "EGRESSGATEWAY-", 99, 99,
            0x26000000L, 0xff000000L, List.of(), List.of());
    long now = 0;

    static IptablesSave saved(boolean foreignFirst) {
        String foreign = "-A POSTROUTING -m comment --comment \"felix:abc\" -j FELIX-POSTROUTING\n";
        return IptablesSave.parse("*nat\n:POSTROUTING ACCEPT [0:0]\n" + (foreignFirst ? foreign : "")
                + "-A POSTROUTING -m comment --comment \"egw:" + SNAT.hash() + "\" -j EGRESSGATEWAY-SNAT-EIP\n"
                + "-A POSTROUTING -m comment --comment \"egw:" + ACCEPT.hash() + "\" " + ACCEPT.restoreSpec()
                .replace("-m comment --comment egw:" + ACCEPT.hash(), "").strip() + "\n"
                + (foreignFirst ? "" : foreign) + "COMMIT\n");
    }

    List<Integer> positions(JumpPlacement p, boolean foreignFirst) {
        return IptablesDatapath.owned(Family.IPV4, saved(foreignFirst), SCOPE, p).stream()
                .filter(IptablesJump.class::isInstance).map(o -> ((IptablesJump) o).position()).toList();
    }

    @Test
    void insertModeMovesBackAboveAForeignRuleAtMostOncePerGrowingWindow() {
        JumpPlacement p = new JumpPlacement(ChainInsertMode.INSERT, () -> now);
        assertThat(positions(p, false)).containsExactly(1, 2);
        assertThat(positions(p, true)).as("first displacement: move").containsExactly(-1, -1);
        // a Felix-like loop puts its rule first again every second: every pass sees it
        int moves = 1;
        for (int second = 1; second <= 60; second++) {
            now = TimeUnit.SECONDS.toNanos(second);
            if (positions(p, true).get(0) == -1) {
                moves++;
            }
        }
        // windows of 5, 10, 20, 40 s: moves at 0, 5, 15, 35 s
        assertThat(moves).isEqualTo(4);
        assertThat(p.moves()).isEqualTo(4);
    }

    @Test
    void theWindowIsForgottenOnceOurJumpsStayedOnTopForIt() {
        JumpPlacement p = new JumpPlacement(ChainInsertMode.INSERT, () -> now);
        positions(p, true);
        now = TimeUnit.SECONDS.toNanos(6);
        assertThat(positions(p, false)).containsExactly(1, 2);
        now = TimeUnit.SECONDS.toNanos(7);
        assertThat(positions(p, true)).as("a new displacement, long after: moved at once").containsExactly(-1, -1);
    }

    @Test
    void appendModeNeverMovesForAForeignRuleAndAppendsWhenPlacing() {
        JumpPlacement p = new JumpPlacement(ChainInsertMode.APPEND, () -> now);
        for (int second = 0; second < 60; second++) {
            now = TimeUnit.SECONDS.toNanos(second);
            assertThat(positions(p, true)).containsExactly(1, 2);
        }
        assertThat(p.moves()).isZero();
        IptablesJump snat = new IptablesJump(Family.IPV4, "nat", "POSTROUTING", 1, SNAT);
        IptablesJump accept = new IptablesJump(Family.IPV4, "nat", "POSTROUTING", 2, ACCEPT);
        String text = IptablesRestore.build(IptablesSave.parse("*nat\n:POSTROUTING ACCEPT [0:0]\n"
                + "-A POSTROUTING -j FELIX-POSTROUTING\nCOMMIT\n"), List.of(DatapathOp.add(snat), DatapathOp.add(accept)),
                ChainInsertMode.APPEND);
        assertThat(text).isEqualTo("*nat\n-A POSTROUTING " + SNAT.restoreSpec() + "\n-A POSTROUTING "
                + ACCEPT.restoreSpec() + "\nCOMMIT\n");
    }

    @Test
    void aMoveInInsertModeRePlacesTheBlockEvenThoughItsOrderIsUnchanged() {
        IptablesJump snat = new IptablesJump(Family.IPV4, "nat", "POSTROUTING", 1, SNAT);
        IptablesJump accept = new IptablesJump(Family.IPV4, "nat", "POSTROUTING", 2, ACCEPT);
        List<DatapathObject> observed = IptablesDatapath.owned(Family.IPV4, saved(true), SCOPE,
                JumpPlacement.insert());
        IptablesJump seenSnat = (IptablesJump) observed.stream().filter(o -> o.equals(new IptablesJump(Family.IPV4,
                "nat", "POSTROUTING", -1, SNAT))).findFirst().orElseThrow();
        String text = IptablesRestore.build(saved(true), List.of(DatapathOp.replace(seenSnat, snat),
                DatapathOp.replace(new IptablesJump(Family.IPV4, "nat", "POSTROUTING", -1, ACCEPT), accept)));
        assertThat(text).contains("-I POSTROUTING 1 " + SNAT.restoreSpec()).contains("-D POSTROUTING");
    }

    @Test
    void theForeignRuleIsNamedByItsCommentAndTarget() {
        IptablesSave.SavedRule r = saved(true).table("nat").orElseThrow().rules("POSTROUTING").get(0);
        assertThat(JumpPlacement.describe(r)).isEqualTo("rule '-j FELIX-POSTROUTING' (comment \"felix:abc\")");
    }
}
