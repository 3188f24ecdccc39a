package io.egressgateway.adapters.linux.iptables;

import io.egressgateway.application.config.Settings.ChainInsertMode;
import io.egressgateway.domain.net.Family;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the agent's jumps go in built-in chains, and how often they may be moved because of another
 * component ({@code iptables.chainInsertMode}).
 *
 * <ul>
 *   <li>{@code INSERT}: at the top. When another component's rule is found above them (Calico's
 *       Felix in its default Insert mode keeps its own jump first), they are moved back to the top,
 *       but at most once per window per chain: 5 s after the first move, doubling up to 10 minutes,
 *       forgotten once they stayed on top for a whole window. So two components that both want the
 *       top never fight in a loop: each move is logged with the other component's rule and counted
 *       as drift (the observation reports the jumps as misplaced only when a move is allowed).</li>
 *   <li>{@code APPEND}: at the end of the chain when placed, and never moved because of another
 *       component's rules, above or below; only a change of the agent's own jumps re-places them.</li>
 * </ul>
 * Not thread-safe: called on the namespace thread, like the rest of the adapter.
 */
public final class JumpPlacement {
    private static final Logger LOG = LoggerFactory.getLogger(JumpPlacement.class);
    static final long FIRST_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final long MAX_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final Pattern COMMENT = Pattern.compile("--comment (\"[^\"]*\"|\\S+)");
    private static final Pattern TARGET = Pattern.compile("-j (\\S+)");

    private final ChainInsertMode mode;
    private final LongSupplier nanos;
    private final Map<String, Window> windows = new HashMap<>();
    private long moves;

    private static final class Window {
        long lastMove;
        long length;
        boolean toldWaiting;
    }

    public JumpPlacement(ChainInsertMode mode, LongSupplier nanos) {
        this.mode = mode;
        this.nanos = nanos;
    }

    /** Insert mode, moving whenever displaced without a window: for tests that place once. */
    public static JumpPlacement insert() {
        return new JumpPlacement(ChainInsertMode.INSERT, System::nanoTime);
    }

    public ChainInsertMode mode() {
        return mode;
    }

    /** How many times jumps were moved back above another component's rule. */
    public long moves() {
        return moves;
    }

    /** Pure: the first rule without our comment above the last of ours, if any. */
    public static Optional<IptablesSave.SavedRule> foreignAbove(List<IptablesSave.SavedRule> rules) {
        int lastOurs = -1;
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).hash().isPresent()) {
                lastOurs = i;
            }
        }
        for (int i = 0; i < lastOurs; i++) {
            if (rules.get(i).hash().isEmpty()) {
                return Optional.of(rules.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the jumps of this chain are to be moved back to the top in this pass: Insert mode, a
     * foreign rule is above them, and this chain's window allows a move (which this call then uses).
     */
    boolean moveNow(Family family, String table, String chain, List<IptablesSave.SavedRule> rules) {
        if (mode == ChainInsertMode.APPEND) {
            return false;
        }
        String key = family.suffix() + " " + table + " " + chain;
        Optional<IptablesSave.SavedRule> foreign = foreignAbove(rules);
        long now = nanos.getAsLong();
        Window w = windows.get(key);
        if (foreign.isEmpty()) {
            if (w != null && now - w.lastMove >= w.length) {
                windows.remove(key);
            }
            return false;
        }
        if (w != null && now - w.lastMove < w.length) {
            if (!w.toldWaiting) {
                w.toldWaiting = true;
                LOG.info("iptables family={} chain={}/{}: staying below {} for {} s before moving our jumps back to the top",
                        family.suffix(), table, chain, describe(foreign.get()),
                        TimeUnit.NANOSECONDS.toSeconds(w.length - (now - w.lastMove)));
            }
            return false;
        }
        Window next = new Window();
        next.lastMove = now;
        next.length = w == null ? FIRST_WINDOW_NANOS : Math.min(w.length * 2, MAX_WINDOW_NANOS);
        windows.put(key, next);
        moves++;
        LOG.warn("iptables family={} chain={}/{}: drift: another component put {} above our jumps; moving them back to "
                        + "the top, and not again for {} s (two components that both insert at the top would fight: "
                        + "beside Calico's Felix set iptables.chainInsertMode=Append, or Felix's chainInsertMode=Append)",
                family.suffix(), table, chain, describe(foreign.get()), TimeUnit.NANOSECONDS.toSeconds(next.length));
        return true;
    }

    /** The other component's rule as a log line shows it: its comment and target, else its text. */
    static String describe(IptablesSave.SavedRule r) {
        Matcher c = COMMENT.matcher(r.spec());
        Matcher t = TARGET.matcher(r.spec());
        String target = t.find() ? "-j " + t.group(1) : "";
        if (c.find()) {
            return "rule '" + target + "' (comment " + c.group(1) + ")";
        }
        String text = r.spec().length() > 120 ? r.spec().substring(0, 120) + "..." : r.spec();
        return "rule '" + text + "'";
    }
}
