package io.egressgateway.application.agent;

import io.egressgateway.application.port.out.ApplyDatapathPort;
import io.egressgateway.application.port.out.ObserveDatapathPort;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.OwnershipScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A fake kernel that keeps state: applied operations change what the next observation sees. */
final class InMemoryKernel implements ObserveDatapathPort, ApplyDatapathPort {
    private final Map<String, DatapathObject> objects = new LinkedHashMap<>();
    final List<List<DatapathOp>> applied = new ArrayList<>();
    Predicate<DatapathOp> failing = op -> false;
    int observations;

    @Override
    public synchronized Datapath observe(OwnershipScope scope) {
        observations++;
        return Datapath.of(objects.values());
    }

    @Override
    public synchronized ApplyReport apply(List<DatapathOp> ops) {
        applied.add(List.copyOf(ops));
        List<Failure> failures = new ArrayList<>();
        int ok = 0;
        for (DatapathOp op : ops) {
            if (failing.test(op)) {
                failures.add(new Failure(op, "injected failure"));
                continue;
            }
            String id = op.kind() + "|" + op.object().key();
            switch (op.action()) {
                case ADD, REPLACE -> objects.put(id, op.object());
                case DELETE -> objects.remove(id);
            }
            ok++;
        }
        return new ApplyReport(ok, failures);
    }

    /** Someone changes the kernel behind the agent's back. */
    synchronized void tamper(DatapathObject removed) {
        objects.remove(removed.kind() + "|" + removed.key());
    }

    /** An owned object someone (or a previous agent) put into the kernel. */
    synchronized void plant(DatapathObject added) {
        objects.put(added.kind() + "|" + added.key(), added);
    }

    synchronized Datapath contents() {
        return Datapath.of(objects.values());
    }
}
