package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.ConnectionPin;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel as the store of pins whose connections still have to be deleted (docs/agent.md,
 * "Connections of a lost gateway"): one rule per pending pin in a mangle chain nothing jumps to,
 * {@value #CHAIN}, so an agent that restarts between the apply that dropped a pin and the deletion of
 * its connections finds it again. The chain is part of the desired datapath while pins are pending
 * and goes with the next pass after the last deletion. It matches no packet: no rule jumps to it.
 */
public final class PendingPins {
    public static final String CHAIN = DatapathPlanner.CHAIN_PREFIX + "LOST-PINS";
    private static final Pattern MARK = Pattern.compile("--mark (0x[0-9a-fA-F]+)/(0x[0-9a-fA-F]+)");

    private PendingPins() {
    }

    /** One chain per family that has pending pins (none when {@code pins} is empty). */
    public static List<DatapathObject> chains(Collection<ConnectionPin> pins) {
        List<DatapathObject> out = new ArrayList<>();
        for (Family f : Family.values()) {
            TreeSet<String> specs = new TreeSet<>();
            pins.stream().filter(p -> p.family() == f).forEach(p -> specs.add("-m connmark --mark " + Marks.hex(p.mark())
                    + "/" + Marks.hex(p.mask()) + " -j RETURN"));
            if (!specs.isEmpty()) {
                out.add(new IptablesChain(f, "mangle", CHAIN, specs.stream().map(IptablesRule::of).toList()));
            }
        }
        return out;
    }

    /** {@code desired} plus the chains of {@code pins}. */
    public static Datapath with(Datapath desired, Collection<ConnectionPin> pins) {
        if (pins.isEmpty()) {
            return desired;
        }
        List<DatapathObject> all = new ArrayList<>(desired.objects());
        all.addAll(chains(pins));
        return Datapath.of(all);
    }

    /** The pins an (observed) datapath's chains record as pending. */
    public static List<ConnectionPin> in(Datapath observed) {
        List<ConnectionPin> out = new ArrayList<>();
        for (IptablesChain c : observed.ofType(IptablesChain.class)) {
            if (!c.chain().equals(CHAIN)) {
                continue;
            }
            for (IptablesRule r : c.rules()) {
                Matcher m = MARK.matcher(r.spec());
                if (m.find()) {
                    out.add(new ConnectionPin(c.family(), Long.decode(m.group(1)), Long.decode(m.group(2))));
                }
            }
        }
        return out;
    }
}
