package io.egressgateway.domain.datapath;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure helpers over operation lists: what the kernel would hold after applying them (the in-memory
 * fake of the kernel and the property tests use this), and which operations repair drift rather
 * than follow a new plan. (Which gateways' pinned connections are lost: plan.PinnedMarks.)
 */
public final class DatapathOps {
    private DatapathOps() {
    }

    /**
     * The datapath after applying {@code ops} to {@code actual}, as a kernel that executes every
     * operation successfully would hold it. ADD puts the object (replacing one with the same key),
     * REPLACE removes the previous object and puts the new one, DELETE removes the object.
     */
    public static Datapath applyTo(Datapath actual, List<DatapathOp> ops) {
        Map<String, DatapathObject> state = new LinkedHashMap<>();
        for (DatapathObject o : actual.objects()) {
            state.put(id(o), o);
        }
        for (DatapathOp op : ops) {
            switch (op.action()) {
                case ADD -> state.put(id(op.object()), op.object());
                case REPLACE -> {
                    if (op.previous() != null) {
                        state.remove(id(op.previous()));
                    }
                    state.put(id(op.object()), op.object());
                }
                case DELETE -> state.remove(id(op.object()));
            }
        }
        return new Datapath(new ArrayList<>(state.values()));
    }

    /**
     * The operations of {@code ops} that repair drift: changes someone else made to state this agent
     * had applied, as opposed to changes of plan. {@code lastApplied} is the plan of the agent's last
     * pass that applied without failures (null before the first). Putting back an object planned
     * exactly as then is drift; deleting an owned object that plan did not have is drift (someone
     * added it). Before the first applied plan nothing is drift: a starting agent takes over what
     * its predecessor left, which is not someone's tampering.
     */
    public static List<DatapathOp> drift(List<DatapathOp> ops, Datapath lastApplied) {
        if (lastApplied == null) {
            return List.of();
        }
        Map<String, DatapathObject> applied = new LinkedHashMap<>();
        for (DatapathObject o : lastApplied.objects()) {
            applied.put(id(o), o);
        }
        List<DatapathOp> out = new ArrayList<>();
        for (DatapathOp op : ops) {
            DatapathObject was = applied.get(id(op.object()));
            boolean drift = op.action() == DatapathOp.Action.DELETE ? was == null : op.object().equals(was);
            if (drift) {
                out.add(op);
            }
        }
        return List.copyOf(out);
    }

    private static String id(DatapathObject o) {
        return o.kind() + "|" + o.key();
    }
}
