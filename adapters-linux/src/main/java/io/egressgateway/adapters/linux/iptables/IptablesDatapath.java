package io.egressgateway.adapters.linux.iptables;

import io.egressgateway.adapters.linux.netlink.NetlinkException;
import io.egressgateway.adapters.linux.netlink.NftGeneration;
import io.egressgateway.adapters.linux.sys.ProcessRunner;
import io.egressgateway.application.config.Settings.IptablesBackend;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import io.egressgateway.domain.datapath.OwnershipScope;
import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owned iptables state of both families: observed through {@code iptables-save}, changed through one
 * {@code iptables-restore --noflush} per family. When a batch fails, each operation is retried alone
 * (against a fresh save), so that one bad rule is reported without holding back the others.
 *
 * <p>With the nft backend a save is kept with the nf_tables generation it was taken at
 * ({@link NftGeneration}) and reused while the generation stays the same: any commit by anyone
 * (a hand-made {@code iptables -D}, kube-proxy, our own restore) changes it and the next read saves
 * afresh, so drift is still seen in the pass after it happens, without starting two processes and
 * parsing every rule of the node in each pass. The legacy backend has no generation and saves every
 * time. Call on the namespace thread.
 */
public final class IptablesDatapath implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IptablesDatapath.class);
    private final IptablesTool tool;
    private final JumpPlacement placement;
    private final Map<Family, IptablesSave> saved = new EnumMap<>(Family.class);
    private long savedGeneration = -1;
    private NftGeneration generation;
    private boolean generationRefused;
    private long saves;
    /**
     * The rules of the kept saves as the model reads them (issue 18: taking our comment out of every
     * owned rule with two regular expressions was 40 % of a steady read-back at 1,000 policies); keyed
     * by the saved rule itself, so it lives exactly as long as the saves it was read from.
     */
    private final Map<IptablesSave.SavedRule, IptablesRule> rules = new IdentityHashMap<>();

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
            out.addAll(owned(f, current(f), scope, placement, r -> rules.computeIfAbsent(r, IptablesDatapath::rule)));
        }
        if (saved.isEmpty()) {
            rules.clear(); // nothing kept (legacy backend): nothing to remember either
        }
        return out;
    }

    private static IptablesRule rule(IptablesSave.SavedRule r) {
        return new IptablesRule(r.specWithoutComment(), r.hash().orElse(""));
    }

    /** How many times {@code iptables-save} ran (tests: a quiet pass runs none with nft). */
    public long saves() {
        return saves;
    }

    @Override
    public void close() {
        if (generation != null) {
            generation.close();
            generation = null;
        }
    }

    /** The family's ruleset: the kept save while the nf_tables generation is unchanged, else a new one. */
    private IptablesSave current(Family f) {
        OptionalLong gen = generation();
        if (gen.isEmpty()) {
            return save(f);
        }
        if (gen.getAsLong() != savedGeneration) {
            saved.clear();
            rules.clear();
            savedGeneration = gen.getAsLong();
        }
        // the generation is read before the save: a commit in between makes the next read save again
        return saved.computeIfAbsent(f, this::save);
    }

    private OptionalLong generation() {
        if (tool.backend() != IptablesBackend.NFT || generationRefused) {
            return OptionalLong.empty();
        }
        try {
            if (generation == null) {
                generation = NftGeneration.open();
            }
            return generation.current();
        } catch (NetlinkException e) {
            generationRefused = true;
            LOG.warn("nf_tables generation unavailable ({}); iptables-nft-save runs in every pass", e.getMessage());
            return OptionalLong.empty();
        }
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
        return owned(family, save, scope, placement, IptablesDatapath::rule);
    }

    /** As above, reading each saved rule through {@code read} (a cache while the save is kept). */
    static List<DatapathObject> owned(Family family, IptablesSave save, OwnershipScope scope, JumpPlacement placement,
                                      Function<IptablesSave.SavedRule, IptablesRule> read) {
        List<DatapathObject> out = new ArrayList<>();
        for (IptablesSave.Table t : save.tables().values()) {
            t.chains().forEach((chain, rules) -> {
                if (chain.startsWith(scope.chainPrefix())) {
                    List<IptablesRule> rs = rules.stream().map(read).toList();
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
                                    read.apply(r));
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
        String text = IptablesRestore.build(current(f), ops, placement.mode());
        if (text.isEmpty()) {
            return;
        }
        LOG.debug("iptables-restore family={}:\n{}", f.suffix(), text);
        ProcessRunner.check(tool.restoreArgv(f), text);
    }

    private IptablesSave save(Family f) {
        saves++;
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
