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
        // stored objects may hold nulls the schema did not stop; they must not throw here
        java.util.Map<String, String> labels = new java.util.TreeMap<>();
        if (matchLabels != null) {
            matchLabels.forEach((k, v) -> {
                if (k != null) {
                    labels.put(k, v == null ? "" : v);
                }
            });
        }
        matchLabels = Map.copyOf(labels);
        matchExpressions = matchExpressions == null ? List.of()
                : matchExpressions.stream().filter(Objects::nonNull).toList();
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

    /**
     * One {@code matchExpressions} entry: operator In, NotIn, Exists or DoesNotExist. An object stored
     * past admission may carry an operator no one knows ({@code in}); it is kept as {@code operatorText}
     * with a null {@code operator}, so validation can name it, and such a requirement matches nothing.
     */
    public record Requirement(String key, Operator operator, List<String> values, String operatorText) {
        public Requirement {
            values = values == null ? List.of() : values.stream().filter(Objects::nonNull).toList();
            operatorText = operatorText == null ? (operator == null ? "" : operator.name()) : operatorText;
        }

        public Requirement(String key, Operator operator, List<String> values) {
            this(key, operator, values, null);
        }

        /** From text as stored: an unknown operator becomes a null {@code operator}, never an exception. */
        public static Requirement parse(String key, String operator, List<String> values) {
            return new Requirement(key, Operator.parse(operator).orElse(null), values, operator == null ? "" : operator);
        }

        public enum Operator {
            In, NotIn, Exists, DoesNotExist;

            /** Case-sensitive, as the API server reads it. */
            public static java.util.Optional<Operator> parse(String text) {
                for (Operator o : values()) {
                    if (o.name().equals(text)) {
                        return java.util.Optional.of(o);
                    }
                }
                return java.util.Optional.empty();
            }
        }

        boolean matches(Map<String, String> labels) {
            if (operator == null || key == null) {
                return false;
            }
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
