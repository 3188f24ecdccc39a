package io.egressgateway.application.agent;

import io.egressgateway.application.port.in.CleanupNodeUseCase;
import io.egressgateway.application.port.out.ApplyDatapathPort;
import io.egressgateway.application.port.out.ObserveDatapathPort;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathDiff;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.OwnershipScope;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code egressgateway cleanup}: the diff against an empty datapath, i.e. delete everything owned. */
public final class NodeCleanup implements CleanupNodeUseCase {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCleanup.class);

    private final ObserveDatapathPort observe;
    private final ApplyDatapathPort apply;
    private final OwnershipScope scope;

    public NodeCleanup(ObserveDatapathPort observe, ApplyDatapathPort apply, OwnershipScope scope) {
        this.observe = observe;
        this.apply = apply;
        this.scope = scope;
    }

    @Override
    public int cleanup() {
        List<DatapathOp> ops = DatapathDiff.between(Datapath.empty(), observe.observe(scope));
        ApplyDatapathPort.ApplyReport report = ops.isEmpty() ? new ApplyDatapathPort.ApplyReport(0, List.of())
                : apply.apply(ops);
        report.failures().forEach(f -> LOG.warn("cleanup could not remove {}: {}", f.op().object().render(), f.reason()));
        LOG.info("cleanup removed={} failed={}", report.applied(), report.failures().size());
        if (!report.ok()) {
            throw new IllegalStateException("cleanup left " + report.failures().size() + " owned objects; see the log");
        }
        return report.applied();
    }
}
