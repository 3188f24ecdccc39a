package io.egressgateway.domain.plan;

import static io.egressgateway.domain.plan.Fixtures.GW1;
import static io.egressgateway.domain.plan.Fixtures.MARK_GW1;
import static io.egressgateway.domain.plan.Fixtures.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.net.Family;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-packet fast path (docs/datapath.md, "Cost per packet"): established traffic meets the
 * rule that decides it before the rules that only a connection's first packet needs.
 */
class FastPathTest {
    private static final ForwardMethod AP = ForwardMethod.ACTIVE_PASSIVE;

    private static List<String> chain(Datapath d, String name) {
        return d.ofType(IptablesChain.class).stream().filter(c -> c.family() == Family.IPV4 && c.chain().equals(name))
                .flatMap(c -> c.rules().stream()).map(IptablesRule::spec).toList();
    }

    private static int indexOf(List<String> rules, String prefix) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no rule starting with " + prefix + " in " + rules);
    }

    @Test
    void aGatewayAcceptsATaggedTunnelFlowAtTheTopOfReplyRoutingWithTheBaseMark() {
        List<String> reply = chain(DatapathPlanner.plan(Fixtures.seed(GW1, AP, false)), IptablesPlanner.REPLY_ROUTING);

        assertThat(reply.subList(0, 2)).containsExactly(
                "-i egress-vxlan-v+ -m connmark --mark 0x27000000/0xff000000 -m conntrack --ctdir ORIGINAL"
                        + " -j MARK --set-xmark 0x26000000/0xffffffff",
                "-i egress-vxlan-v+ -m mark --mark 0x26000000/0xffffffff -j ACCEPT");
        assertThat(indexOf(reply, "-m mac --mac-source")).as("the peer walk is for a flow's first packet only")
                .isGreaterThan(indexOf(reply, "! -i egress-vxlan-v+ -j RETURN"));
        assertThat(reply).as("the old in-chain fast path is gone").noneMatch(r -> r.startsWith("-m connmark --mark 0x27000000"));
    }

    @Test
    void aGatewayAcceptsAReplyFromOutsideOnceItCarriesItsPeersMark() {
        List<String> reply = chain(DatapathPlanner.plan(Fixtures.seed(GW1, AP, false)), IptablesPlanner.REPLY_ROUTING);

        int xor = indexOf(reply, "-m mark --mark 0x27000000/0xff000000 -m conntrack --ctdir REPLY -j MARK --set-xmark 0x01000000/0x00000000");
        assertThat(reply.get(xor + 1)).as("right after the peer's mark is restored")
                .isEqualTo("! -i egress-vxlan-v+ -m mark --mark 0x26000000/0xff000000 -j ACCEPT");
        assertThat(reply.get(xor + 2)).as("everything else from outside the tunnel returns as before")
                .isEqualTo("! -i egress-vxlan-v+ -j RETURN");
    }

    @Test
    void tunnelPacketsToThisNodeLeaveManglePreroutingAtItsFirstRuleOnNativeMatchesOnly() {
        for (Datapath d : List.of(DatapathPlanner.plan(Fixtures.seed(GW1, AP, true)), DatapathPlanner.plan(Fixtures.seed(WORKER, AP, true)))) {
            for (Family f : Family.values()) {
                List<IptablesJump> pre = d.ofType(IptablesJump.class).stream().filter(j -> j.family() == f
                        && j.table().equals("mangle") && j.chain().equals("PREROUTING")).sorted(Comparator.comparingInt(IptablesJump::position)).toList();
                String local = d.ofType(TunnelLink.class).stream().filter(t -> t.underlay() == f).findFirst().orElseThrow().localIp();

                assertThat(pre.get(0).rule().spec()).as("%s", f).isEqualTo("-d " + Addr.net(local).cidr() + " -p udp -m udp --dport 7789 -j ACCEPT");
                assertThat(pre.get(0).rule().spec()).doesNotContain("-m conntrack", "-m connmark", "-m set", "-m addrtype", "-m mark");
                assertThat(pre.subList(1, pre.size())).extracting(j -> j.rule().spec()).as("the chains come after it")
                        .anyMatch(r -> r.equals("-j " + IptablesPlanner.MARK_REQUEST));
            }
        }
    }

    @Test
    void markRequestReturnsForUnpinnedEstablishedTrafficAndRepliesBeforeAnyPinIsTried() {
        List<String> mr = chain(DatapathPlanner.plan(Fixtures.seed(WORKER, AP, false)), IptablesPlanner.MARK_REQUEST);

        assertThat(mr.get(0)).as("the spec's first rule stays first").isEqualTo("-i egress-vxlan-v+ -j RETURN");
        assertThat(mr.get(1)).isEqualTo("-m connmark --mark 0x00000000/0xff000000 -m conntrack ! --ctstate NEW -j RETURN");
        int firstPin = indexOf(mr, "-m connmark --mark 0x26");
        assertThat(indexOf(mr, "-m conntrack --ctdir REPLY -j RETURN")).as("pins carry no direction match: replies left before")
                .isLessThan(firstPin);
        assertThat(mr.get(firstPin)).doesNotContain("conntrack");
        assertThat(indexOf(mr, "-m conntrack --ctdir ORIGINAL -m mark --mark 0x00000000/0xff000000 -m set"))
                .as("a restored pin returns before the policy rules").isGreaterThan(mr.lastIndexOf(
                        "-m mark ! --mark 0x00000000/0xff000000 -j RETURN"))
                .isGreaterThan(firstPin);
    }

    @Test
    void mangleForwardRewritesOnlyAMarkThatIsNotTheBaseMarkAlready() {
        List<String> fwd = DatapathPlanner.plan(Fixtures.seed(GW1, AP, false)).ofType(IptablesJump.class).stream()
                .filter(j -> j.table().equals("mangle") && j.chain().equals("FORWARD")).map(j -> j.rule().spec()).toList();

        assertThat(fwd).containsExactly("-m mark --mark 0x26000000/0xff000000 -m mark ! --mark 0x26000000/0xffffffff"
                + " -j MARK --set-xmark 0x26000000/0xffffffff");
    }

    @Test
    void pinsRestoredByTheRuleAsWrittenBeforeTheFastPathAreStillRecognisedAfterAnUpgrade() {
        NodeSnapshot up = Fixtures.seed(WORKER, AP, false);
        MarkLayout m = MarkLayout.of(up.settings());
        Datapath planned = DatapathPlanner.plan(up);
        // What an agent of the previous version left in the kernel: the restore rules with their direction match.
        Datapath old = Datapath.of(planned.objects().stream().map(o -> legacy(o, m)).toList());
        assertThat(old).isNotEqualTo(planned);
        ConnectionPin gw1 = new ConnectionPin(Family.IPV4, MARK_GW1, m.owned());

        assertThat(PinnedMarks.restores(up.settings(), old, gw1)).isTrue();
        assertThat(PinnedMarks.lost(up.settings(), old, planned)).as("the same pins, only rewritten").isEmpty();
        Datapath gw1Gone = Datapath.of(planned.objects().stream().map(o -> without(o, IptablesPlanner.restorePin(m, MARK_GW1))).toList());
        assertThat(PinnedMarks.lost(up.settings(), old, gw1Gone)).containsExactly(gw1);
    }

    private static DatapathObject without(DatapathObject o, IptablesRule gone) {
        if (!(o instanceof IptablesChain c) || !c.chain().equals(IptablesPlanner.MARK_REQUEST)) {
            return o;
        }
        return new IptablesChain(c.family(), c.table(), c.chain(), c.rules().stream().filter(r -> !r.hash().equals(gone.hash())).toList());
    }

    private static DatapathObject legacy(DatapathObject o, MarkLayout m) {
        if (!(o instanceof IptablesChain c) || !c.chain().equals(IptablesPlanner.MARK_REQUEST)) {
            return o;
        }
        List<IptablesRule> rules = c.rules().stream().map(r -> {
            for (long mark : List.of(m.base(), MARK_GW1)) {
                if (r.hash().equals(IptablesPlanner.restorePin(m, mark).hash())) {
                    return IptablesPlanner.legacyRestorePin(m, mark);
                }
            }
            return r;
        }).toList();
        return new IptablesChain(c.family(), c.table(), c.chain(), rules);
    }
}
