package io.egressgateway.domain.validation;

import io.egressgateway.domain.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/** Checks a label selector's expressions the way the API server would: In/NotIn need values, Exists/DoesNotExist none. */
final class Selectors {
    private Selectors() {
    }

    static List<Violation> validate(String field, LabelSelector s) {
        List<Violation> out = new ArrayList<>();
        for (int i = 0; i < s.matchExpressions().size(); i++) {
            LabelSelector.Requirement r = s.matchExpressions().get(i);
            String f = field + ".matchExpressions[" + i + "]";
            if (r.key() == null || r.key().isEmpty()) {
                out.add(new Violation(f + ".key", "", "is required"));
            }
            if (r.operator() == null) {
                out.add(new Violation(f + ".operator", r.operatorText(), "'" + r.operatorText()
                        + "' is not an operator; expected one of In, NotIn, Exists, DoesNotExist (case matters)"));
                continue;
            }
            boolean needsValues = r.operator() == LabelSelector.Requirement.Operator.In
                    || r.operator() == LabelSelector.Requirement.Operator.NotIn;
            if (needsValues && r.values().isEmpty()) {
                out.add(new Violation(f + ".values", "", "must not be empty for operator " + r.operator()));
            }
            if (!needsValues && !r.values().isEmpty()) {
                out.add(new Violation(f + ".values", String.join(",", r.values()),
                        "must be empty for operator " + r.operator()));
            }
        }
        return out;
    }
}
