package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.domain.datapath.TrafficCounter;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * The iptables half of one family's datapath: the three owned chains and the rules placed near the
 * top of built-in chains. docs/datapath.md explains every rule; the comments here say only what a
 * reader of the code would otherwise get wrong.
 */
final class IptablesPlanner {
    static final String MARK_REQUEST = "EGRESSGATEWAY-MARK-REQUEST";
    static final String REPLY_ROUTING = "EGRESSGATEWAY-REPLY-ROUTING";
    static final String SNAT_EIP = "EGRESSGATEWAY-SNAT-EIP";
    static final String CARRIED = "EGRESSGATEWAY-CARRIED";

    private final PlannerSettings settings;
    private final MarkLayout m;
    private final String tunnels;

    IptablesPlanner(PlannerSettings settings, MarkLayout marks) {
        this.settings = settings;
        this.m = marks;
        this.tunnels = settings.deviceWildcard();
    }

    /**
     * @param plans      this family's policy plans, in rule order
     * @param gateway    this node is listed by some gateway: it runs the reply path and SNAT chain
     * @param validMarks marks whose table exists on this node (and the base mark): only those are
     *                   restored from a connection, so a pin to a gateway that is gone is dropped
     * @param peers      Ready peers (mark, MAC) whose connections a gateway tags for the reply path
     * @param eips       EIPs this node announces in this family
     * @param clusterSet the name of this family's cluster set
     * @param tunnelIp   this node's underlay address in family {@code f} (the tunnel's local end), or null
     *                   when {@code f} carries no tunnel
     */
    List<DatapathObject> plan(Family f, List<PolicyPlan> plans, boolean gateway, SortedSet<Long> validMarks,
                              List<Topology.Peer> peers, List<String> eips, String clusterSet, String tunnelIp) {
        List<DatapathObject> out = new ArrayList<>();
        out.add(new IptablesChain(f, "mangle", MARK_REQUEST, markRequest(plans, validMarks, clusterSet)));
        int pre = 1;
        if (tunnelIp != null) {
            // The encapsulated packets a peer sends here: nothing in the chains below applies to them (no tag,
            // no reply restore, never a policy's: they are delivered locally whatever their mark), and without
            // this rule each walked both chains (docs/datapath.md, "Cost per packet"). Native matches only.
            out.add(jump(f, "mangle", "PREROUTING", pre++, "-d " + Addr.net(tunnelIp).cidr() + " -p udp -m udp --dport "
                    + settings.port() + " -j ACCEPT"));
        }
        if (gateway) {
            out.add(new IptablesChain(f, "mangle", REPLY_ROUTING, replyRouting(peers)));
            out.add(new IptablesChain(f, "nat", SNAT_EIP, snat(plans, clusterSet)));
            out.add(new IptablesChain(f, "filter", CARRIED, carried(plans, clusterSet)));
            out.add(jump(f, "mangle", "PREROUTING", pre++, "-j " + REPLY_ROUTING));
            out.add(jump(f, "nat", "POSTROUTING", 1, "-j " + SNAT_EIP));
        }
        out.add(jump(f, "mangle", "PREROUTING", pre++, "-j " + MARK_REQUEST));
        out.add(jump(f, "mangle", "PREROUTING", pre, "-m mark --mark " + m.ours() + " -j ACCEPT"));
        // Only a mark that is not the base mark already is rewritten: a gateway's tunnel flows carry the base
        // mark from REPLY-ROUTING, and a rule that does not match costs no comment match and no MARK target.
        out.add(jump(f, "mangle", "FORWARD", 1, "-m mark --mark " + m.ours() + " -m mark ! --mark " + MarkLayout.exact(m.base())
                + " -j MARK --set-xmark " + MarkLayout.exact(m.base())));
        out.add(jump(f, "mangle", "POSTROUTING", 1,
                "-o " + tunnels + " -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu"));
        int fwd = 1;
        for (String eip : eips) {
            out.add(jump(f, "filter", "FORWARD", fwd++, "-d " + Addr.net(eip).cidr() + " -j DROP"));
        }
        if (gateway) {
            // A new connection from the tunnel that this node does not NAT as planned would leave with
            // the pod's address: a source re-steered before this node applied the same move.
            out.add(jump(f, "filter", "FORWARD", fwd++, "-i " + tunnels
                    + " -m conntrack --ctstate NEW --ctdir ORIGINAL -j " + CARRIED));
            // Only the flows a gateway forwards for its peers are accepted early (a host firewall does not
            // know the tunnel device); a selected pod's own node accepts nothing: its packets pass the
            // node's other FORWARD rules (NetworkPolicy) as unselected ones do. From the tunnel, only a
            // known peer's request packets carry our mark (REPLY-ROUTING), whatever conntrack thinks of
            // them: with mode None and an asymmetric return path the gateway never sees the replies and
            // calls the rest of the connection INVALID. Tracked tunnel packets in the original
            // direction without our mark came from no known peer MAC: dropped.
            out.add(jump(f, "filter", "FORWARD", fwd++, "-i " + tunnels + " -m mark --mark " + m.ours() + " -j ACCEPT"));
            out.add(jump(f, "filter", "FORWARD", fwd++, "-i " + tunnels + " -m conntrack --ctdir ORIGINAL -j DROP"));
            out.add(jump(f, "filter", "FORWARD", fwd, "-o " + tunnels + " -m conntrack --ctdir REPLY -m mark --mark "
                    + m.ours() + " -j ACCEPT"));
        }
        // The encapsulated packets leave with the base mark: accepted, and nothing else of ours.
        out.add(jump(f, "filter", "OUTPUT", 1, "-p udp -m udp --dport " + settings.port() + " -m mark --mark "
                + m.ours() + " -j ACCEPT"));
        out.add(jump(f, "nat", "POSTROUTING", gateway ? 2 : 1, "-m mark --mark " + m.ours() + " -j ACCEPT"));
        if (settings.trafficCounters()) {
            out.addAll(new TrafficCounting(settings, m).plan(f, plans, clusterSet));
        }
        return out;
    }

    /**
     * raw PREROUTING of the underlay family {@code f}: VXLAN packets to this node from an address that
     * is not a peer's underlay address are dropped before conntrack sees them.
     */
    static IptablesJump tunnelGuard(Family f, int port, String peerSet) {
        return jump(f, "raw", "PREROUTING", 1, "-p udp -m udp --dport " + port
                + " -m addrtype --dst-type LOCAL -m set ! --match-set " + peerSet + " src -j DROP");
    }

    private static IptablesJump jump(Family f, String table, String chain, int position, String spec) {
        return new IptablesJump(f, table, chain, position, IptablesRule.of(spec));
    }

    private List<IptablesRule> markRequest(List<PolicyPlan> plans, SortedSet<Long> validMarks, String clusterSet) {
        List<IptablesRule> r = new ArrayList<>();
        r.add(IptablesRule.of("-i " + tunnels + " -j RETURN"));
        // Fast path first (docs/datapath.md, "Cost per packet"): a connection that is not pinned and not new
        // keeps its path (it started unsteered, or it is a reply to one): one connmark match for most traffic.
        r.add(IptablesRule.of("-m connmark --mark " + m.none() + " -m conntrack ! --ctstate NEW -j RETURN"));
        // Decided already: only REPLY-ROUTING marks before this chain, and only replies.
        r.add(IptablesRule.of("-m mark ! --mark " + m.none() + " -j RETURN"));
        // Replies are never decided; without this a reply of a pinned connection would walk every policy rule.
        r.add(IptablesRule.of("-m conntrack --ctdir REPLY -j RETURN"));
        // A pinned decision is restored only while its mark still has a table here.
        for (long mark : validMarks) {
            r.add(restorePin(m, mark));
        }
        r.add(IptablesRule.of("-m mark ! --mark " + m.none() + " -j RETURN"));
        boolean any = false;
        for (PolicyPlan p : plans) {
            if (!p.decision().marks()) {
                continue;
            }
            any = true;
            r.add(IptablesRule.of("-m conntrack --ctdir ORIGINAL -m mark --mark " + m.none() + sets(p, clusterSet)
                    + " -j MARK --set-xmark " + MarkLayout.exact(p.decision().mark())));
        }
        if (any) {
            r.add(IptablesRule.of("-m mark ! --mark " + m.none() + " -j CONNMARK --save-mark " + m.connmarkMasks()));
        }
        return r;
    }

    /**
     * The rule of MARK-REQUEST that restores pins to {@code mark}; {@link PinnedMarks} looks for its hash.
     * Replies have returned before it, so it needs no conntrack match.
     */
    static IptablesRule restorePin(MarkLayout m, long mark) {
        return IptablesRule.of("-m connmark --mark " + Marks.hex(mark) + "/" + Marks.hex(m.owned())
                + " -j CONNMARK --restore-mark " + m.connmarkMasks());
    }

    /** The same rule as written before the fast path (it matched the direction itself): an upgraded agent still reads it. */
    static IptablesRule legacyRestorePin(MarkLayout m, long mark) {
        return IptablesRule.of("-m conntrack --ctdir ORIGINAL -m connmark --mark " + Marks.hex(mark) + "/" + Marks.hex(m.owned())
                + " -j CONNMARK --restore-mark " + m.connmarkMasks());
    }

    private List<IptablesRule> replyRouting(List<Topology.Peer> peers) {
        String tags = m.replyTags();
        String base = MarkLayout.exact(m.base());
        List<IptablesRule> r = new ArrayList<>();
        // Fast path: every packet after the first of a flow from the tunnel. The connection was tagged on its
        // first packet; the packet goes by the main table with the base mark, and the ACCEPT ends mangle
        // PREROUTING as its rule 3 would (MARK-REQUEST returns at once for the tunnel).
        r.add(IptablesRule.of("-i " + tunnels + " -m connmark --mark " + tags + " -m conntrack --ctdir ORIGINAL -j MARK --set-xmark "
                + base));
        r.add(IptablesRule.of("-i " + tunnels + " -m mark --mark " + base + " -j ACCEPT"));
        r.add(IptablesRule.of("-m conntrack --ctdir REPLY -m connmark --mark " + tags + " -j CONNMARK --restore-mark "
                + m.connmarkMasks()));
        // The mark first: it is matched without the compatibility layer, so other traffic fails here cheaply.
        r.add(IptablesRule.of("-m mark --mark " + tags + " -m conntrack --ctdir REPLY -j MARK --set-xmark "
                + Marks.hex(m.replyFlag()) + "/" + Marks.hex(0)));
        // A reply that now carries its peer's mark is accepted here, as PREROUTING's last rule would after
        // MARK-REQUEST returned for it (its third rule): three rules and four compatibility matches fewer.
        r.add(IptablesRule.of("! -i " + tunnels + " -m mark --mark " + m.ours() + " -j ACCEPT"));
        r.add(IptablesRule.of("! -i " + tunnels + " -j RETURN"));
        r.add(IptablesRule.of("-m conntrack --ctdir REPLY -j RETURN"));
        // Only a flow's first packet (or one of a flow from no known peer) walks the peers.
        for (Topology.Peer p : peers) {
            r.add(IptablesRule.of("-m mac --mac-source " + p.mac() + " -j MARK --set-xmark "
                    + MarkLayout.exact(p.mark() ^ m.replyFlag())));
        }
        r.add(IptablesRule.of("-m mark --mark " + tags + " -j CONNMARK --save-mark " + m.connmarkMasks()));
        // A frame from no known peer MAC gets no mark of ours: not NATed, and dropped in filter FORWARD.
        r.add(IptablesRule.of("-m mark ! --mark " + tags + " -j RETURN"));
        r.add(IptablesRule.of("-j MARK --set-xmark " + base));
        return r;
    }

    private List<IptablesRule> snat(List<PolicyPlan> plans, String clusterSet) {
        List<IptablesRule> r = new ArrayList<>();
        r.add(IptablesRule.of("-o " + tunnels + " -j RETURN"));
        r.add(IptablesRule.of("-m mark ! --mark " + m.ours() + " -j RETURN"));
        for (PolicyPlan p : plans) {
            if (!p.carried()) {
                continue;
            }
            String target = switch (p.snat().mode()) {
                case EgressIP -> "SNAT --to-source " + p.snat().eip() + " --random-fully";
                case NodeIP -> "MASQUERADE --random-fully";
                // Stops a lower-priority policy from NATing; the ACCEPT after the jump keeps the CNI's masquerade away.
                case None -> "RETURN";
            };
            if (p.snat().mode() == EgressIpMode.EgressIP && p.snat().eip() == null) {
                continue;
            }
            // nat sees only a connection's first packet: it is counted here, the rest in EGRESSGATEWAY-COUNT.
            TrafficCounter counter = settings.trafficCounters() ? TrafficCounting.egressOf(p) : null;
            String count = counter == null ? "" : " -m nfacct --nfacct-name " + counter.name();
            r.add(IptablesRule.of("-m conntrack --ctdir ORIGINAL" + sets(p, clusterSet) + count + " -j " + target));
        }
        return r;
    }

    /** Returns for what the SNAT chain handles here (the same policies, the same skips); drops the rest. */
    private List<IptablesRule> carried(List<PolicyPlan> plans, String clusterSet) {
        List<IptablesRule> r = new ArrayList<>();
        for (PolicyPlan p : plans) {
            if (p.carried() && !(p.snat().mode() == EgressIpMode.EgressIP && p.snat().eip() == null)) {
                r.add(IptablesRule.of("-m conntrack --ctdir ORIGINAL" + sets(p, clusterSet) + " -j RETURN"));
            }
        }
        r.add(IptablesRule.of("-j DROP"));
        return r;
    }

    static String sets(PolicyPlan p, String clusterSet) {
        return " -m set --match-set " + p.srcSet() + " src -m set --match-set " + p.dstSet() + " dst"
                + (p.excludeCluster() ? " -m set ! --match-set " + clusterSet + " dst" : "");
    }
}
