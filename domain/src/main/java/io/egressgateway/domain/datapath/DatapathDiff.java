package io.egressgateway.domain.datapath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations that turn the observed datapath into the desired one. Pure. Creates and replaces
 * come first, in {@link Kind} order; deletes follow in reverse order. Applying the result to
 * {@code actual} and diffing again yields nothing.
 */
public final class DatapathDiff {
    private DatapathDiff() {
    }

    public static List<DatapathOp> between(Datapath desired, Datapath actual) {
        Map<String, DatapathObject> stale = new HashMap<>();
        for (DatapathObject o : actual.objects()) {
            stale.put(id(o), o);
        }
        List<DatapathOp> ops = new ArrayList<>();
        for (DatapathObject want : desired.objects()) {
            DatapathObject have = stale.remove(id(want));
            if (have == null) {
                ops.add(DatapathOp.add(want));
            } else if (!want.sameAs(have)) {
                ops.add(DatapathOp.replace(have, want));
            }
        }
        List<DatapathOp> deletes = new ArrayList<>();
        for (DatapathObject gone : stale.values()) {
            if (gone.kind().deletable()) {
                deletes.add(DatapathOp.delete(gone));
            }
        }
        deletes.sort(Comparator.comparing(DatapathOp::kind).reversed()
                .thenComparing(op -> op.object().key()));
        ops.addAll(deletes);
        return List.copyOf(ops);
    }

    private static String id(DatapathObject o) {
        return o.kind() + "|" + o.key();
    }
}
