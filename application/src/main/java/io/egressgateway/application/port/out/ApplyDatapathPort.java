package io.egressgateway.application.port.out;

import io.egressgateway.domain.datapath.DatapathOp;
import java.util.List;

/**
 * Changes the kernel. Operations are applied in the order given (the diff's order), with replace
 * semantics; a failed operation is reported and the rest still applied, so that as much as possible
 * is right after one pass. Idempotent: applying operations whose effect is already there is no error.
 */
public interface ApplyDatapathPort {
    ApplyReport apply(List<DatapathOp> ops);

    /** What one apply did: how many operations took effect and which failed, with the reason. */
    record ApplyReport(int applied, List<Failure> failures) {
        public ApplyReport {
            failures = List.copyOf(failures);
        }

        public boolean ok() {
            return failures.isEmpty();
        }
    }

    record Failure(DatapathOp op, String reason) {
    }
}
