package io.egressgateway.adapters.linux.iptables;

import io.egressgateway.adapters.linux.sys.ProcessRunner;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owned iptables state of both families: observed through {@code iptables-save}, changed through one
 * {@code iptables-restore --noflush} per family. When a batch fails, each operation is retried alone
 * (against a fresh save), so that one bad rule is reported without holding back the others.
 * Call on the namespace thread.
 */
public final class IptablesDatapath {
    private static final Logger LOG = LoggerFactory.getLogger(IptablesDatapath.class);
    private final IptablesTool tool;
    private final JumpPlacement placement;

    public IptablesDatapath(IptablesTool tool) {
        this(tool, JumpPlacement.insert());
    }

    public IptablesDatapath(IptablesTool tool, JumpPlacement placement) {
        this.tool = tool;
        this.placement = placement;
    }

    public JumpPlacement placement() {
        return placement;
    }

    public IptablesTool tool() {
        return tool;
    }

    public List<DatapathObject> observe(OwnershipScope scope) {
        List<DatapathObject> out = new ArrayList<>();
        for (Family f : Family.values()) {
            out.addAll(owned(f, save(f), scope, placement));
        }
        return out;
    }

    /** Pure: the owned chains (by name prefix) and our jumps (by egw comment) of one save. */
    public static List<DatapathObject> owned(Family family, IptablesSave save, OwnershipScope scope) {
        return owned(family, save, scope, null);
    }

    /**
     * As above; where {@code placement} decides that the jumps of a chain are to be moved back above
     * another component's rule, they are reported at position -1, so that the diff re-places them.
     */
    static List<DatapathObject> owned(Family family, IptablesSave save, OwnershipScope scope, JumpPlacement placement) {
        List<DatapathObject> out = new ArrayList<>();
        for (IptablesSave.Table t : save.tables().values()) {
            t.chains().forEach((chain, rules) -> {
                if (chain.startsWith(scope.chainPrefix())) {
                    List<IptablesRule> rs = rules.stream()
                            .map(r -> new IptablesRule(r.specWithoutComment(), r.hash().orElse("")))
                            .toList();
                    out.add(new IptablesChain(family, t.name(), chain, rs));
                } else {
                    int position = 0;
                    Map<String, IptablesJump> seen = new LinkedHashMap<>();
                    boolean move = placement != null && rules.stream().anyMatch(r -> r.hash().isPresent())
                            && placement.moveNow(family, t.name(), chain, rules);
                    for (IptablesSave.SavedRule r : rules) {
                        if (r.hash().isPresent()) {
                            position++;
                            IptablesJump j = new IptablesJump(family, t.name(), chain, move ? -1 : position,
                                    new IptablesRule(r.specWithoutComment(), r.hash().get()));
                            // a rule inserted twice: report position -1 so that the diff re-places the block
                            seen.merge(r.hash().get(), j, (a, b) -> new IptablesJump(family, t.name(), chain, -1,
                                    a.rule()));
                        }
                    }
                    out.addAll(seen.values());
                }
            });
        }
        return out;
    }

    /** Applies the iptables operations; returns the failed ones with the reason. */
    public Map<DatapathOp, String> apply(List<DatapathOp> ops) {
        Map<DatapathOp, String> failures = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            List<DatapathOp> mine = ops.stream().filter(op -> familyOf(op) == f).toList();
            if (mine.isEmpty()) {
                continue;
            }
            try {
                restore(f, mine);
            } catch (RuntimeException batch) {
                LOG.warn("iptables family={} batch of {} operations failed, retrying one by one: {}", f.suffix(),
                        mine.size(), batch.getMessage());
                for (DatapathOp op : mine) {
                    try {
                        restore(f, List.of(op));
                    } catch (RuntimeException e) {
                        failures.put(op, e.getMessage());
                    }
                }
            }
        }
        return failures;
    }

    private void restore(Family f, List<DatapathOp> ops) {
        String text = IptablesRestore.build(save(f), ops, placement.mode());
        if (text.isEmpty()) {
            return;
        }
        LOG.debug("iptables-restore family={}:\n{}", f.suffix(), text);
        ProcessRunner.check(tool.restoreArgv(f), text);
    }

    private IptablesSave save(Family f) {
        return IptablesSave.parse(ProcessRunner.check(List.of(tool.save(f)), null));
    }

    private static Family familyOf(DatapathOp op) {
        if (op.object() instanceof IptablesChain c) {
            return c.family();
        }
        if (op.object() instanceof IptablesJump j) {
            return j.family();
        }
        throw new IllegalArgumentException("not an iptables operation: " + op.render());
    }
}
