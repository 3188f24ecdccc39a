package io.egressgateway.domain.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes label selector, evaluated by this code (the test API server ignores set-based
 * selectors). An empty selector matches everything; a null selector field means "not given".
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public static LabelSelector of(Map<String, String> matchLabels) {
        return new LabelSelector(matchLabels, List.of());
    }

    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!Objects.equals(l.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    /** One {@code matchExpressions} entry: operator In, NotIn, Exists or DoesNotExist. */
    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            values = values == null ? List.of() : List.copyOf(values);
        }

        public enum Operator { In, NotIn, Exists, DoesNotExist }

        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case In -> v != null && values.contains(v);
                case NotIn -> v == null || !values.contains(v);
                case Exists -> labels.containsKey(key);
                case DoesNotExist -> !labels.containsKey(key);
            };
        }
    }
}
