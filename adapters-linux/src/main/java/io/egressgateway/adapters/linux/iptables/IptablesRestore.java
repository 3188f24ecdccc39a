package io.egressgateway.adapters.linux.iptables;

import io.egressgateway.application.config.Settings.ChainInsertMode;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.IptablesChain;
import io.egressgateway.domain.datapath.IptablesJump;
import io.egressgateway.domain.datapath.IptablesRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the input of one {@code iptables-restore --noflush} for one family from the operations and
 * what {@code iptables-save} just showed. A restore is one transaction and one failing command
 * aborts all of it, so nothing here can fail on a missing object: chains are deleted only when the
 * save shows them, and jumps are deleted by the exact text the save printed.
 *
 * <p>Per table the order is: declare (and so create or flush) the rewritten chains, delete our jumps
 * in the built-in chains whose jump list changes, flush the chains to delete, append the rewritten
 * chains' rules, delete the chains, and place our jumps in their built-in chains: inserted at the
 * top ({@code Insert} mode) or appended at the end ({@code Append}). Owned chains are rewritten
 * whole; our jumps in a built-in chain are re-placed as a block whenever one of them changes (or, in
 * Insert mode, when {@link JumpPlacement} asked for a move above a foreign rule), which keeps them
 * together in the order of their positions.
 */
public final class IptablesRestore {
    private IptablesRestore() {
    }

    /** The restore text, or an empty string when the operations change nothing. */
    public static String build(IptablesSave current, List<DatapathOp> ops) {
        return build(current, ops, ChainInsertMode.INSERT);
    }

    /** As above, placing jumps as {@code mode} says. */
    public static String build(IptablesSave current, List<DatapathOp> ops, ChainInsertMode mode) {
        Map<String, TableWork> work = new TreeMap<>();
        for (DatapathOp op : ops) {
            if (op.object() instanceof IptablesChain c) {
                TableWork t = work.computeIfAbsent(c.table(), k -> new TableWork(k, mode));
                if (op.action() == DatapathOp.Action.DELETE) {
                    if (current.hasChain(c.table(), c.chain())) {
                        t.deletes.add(c.chain());
                    }
                } else {
                    t.rewrites.put(c.chain(), c);
                }
            } else if (op.object() instanceof IptablesJump j) {
                work.computeIfAbsent(j.table(), k -> new TableWork(k, mode)).jumpOps
                        .computeIfAbsent(j.chain(), k -> new ArrayList<>()).add(op);
            } else {
                throw new IllegalArgumentException("not an iptables operation: " + op.render());
            }
        }
        StringBuilder out = new StringBuilder();
        for (TableWork t : work.values()) {
            String body = t.render(current);
            if (!body.isEmpty()) {
                out.append('*').append(t.table).append('\n').append(body).append("COMMIT\n");
            }
        }
        return out.toString();
    }

    private static final class TableWork {
        final String table;
        final Map<String, IptablesChain> rewrites = new LinkedHashMap<>();
        final List<String> deletes = new ArrayList<>();
        final Map<String, List<DatapathOp>> jumpOps = new TreeMap<>();
        final ChainInsertMode mode;

        TableWork(String table, ChainInsertMode mode) {
            this.table = table;
            this.mode = mode;
        }

        String render(IptablesSave current) {
            StringBuilder declare = new StringBuilder();
            StringBuilder removeJumps = new StringBuilder();
            StringBuilder flush = new StringBuilder();
            StringBuilder append = new StringBuilder();
            StringBuilder drop = new StringBuilder();
            StringBuilder insert = new StringBuilder();
            for (IptablesChain c : rewrites.values()) {
                declare.append(':').append(c.chain()).append(" - [0:0]\n");
                flush.append("-F ").append(c.chain()).append('\n');
                for (IptablesRule r : c.rules()) {
                    append.append("-A ").append(c.chain()).append(' ').append(r.restoreSpec()).append('\n');
                }
            }
            for (String chain : deletes) {
                flush.append("-F ").append(chain).append('\n');
                drop.append("-X ").append(chain).append('\n');
            }
            jumpOps.forEach((chain, chainOps) -> placeJumps(current, chain, chainOps, removeJumps, insert));
            return declare.toString() + removeJumps + flush + append + drop + insert;
        }

        private void placeJumps(IptablesSave current, String chain, List<DatapathOp> chainOps, StringBuilder remove,
                                StringBuilder insert) {
            List<IptablesSave.SavedRule> all = current.table(table).map(t -> t.rules(chain)).orElse(List.of());
            List<IptablesSave.SavedRule> ours = all.stream().filter(r -> r.hash().isPresent()).toList();
            record Placed(String hash, int position, int seen, String spec) {
            }
            Map<String, Placed> wanted = new LinkedHashMap<>();
            for (int i = 0; i < ours.size(); i++) {
                IptablesSave.SavedRule r = ours.get(i);
                wanted.putIfAbsent(r.hash().get(), new Placed(r.hash().get(), i + 1, i, r.spec()));
            }
            for (DatapathOp op : chainOps) {
                IptablesJump j = (IptablesJump) op.object();
                if (op.action() == DatapathOp.Action.DELETE) {
                    wanted.remove(j.rule().hash());
                } else {
                    wanted.put(j.rule().hash(), new Placed(j.rule().hash(), j.position(), -1, j.rule().restoreSpec()));
                }
            }
            List<Placed> order = new ArrayList<>(wanted.values());
            order.sort(Comparator.comparingInt(Placed::position).thenComparingInt(Placed::seen)
                    .thenComparing(Placed::hash));
            List<String> before = ours.stream().map(r -> r.hash().get()).toList();
            List<String> after = order.stream().map(Placed::hash).toList();
            boolean append = mode == ChainInsertMode.APPEND;
            if (before.equals(after) && (append || JumpPlacement.foreignAbove(all).isEmpty())) {
                return;
            }
            for (IptablesSave.SavedRule r : ours) {
                remove.append("-D ").append(chain).append(' ').append(r.spec()).append('\n');
            }
            if (append) {
                for (Placed p : order) {
                    insert.append("-A ").append(chain).append(' ').append(p.spec()).append('\n');
                }
                return;
            }
            for (int i = order.size() - 1; i >= 0; i--) {
                insert.append("-I ").append(chain).append(" 1 ").append(order.get(i).spec()).append('\n');
            }
        }
    }
}
