package io.egressgateway.adapters.kubernetes.mapping;

import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.LabelSelector;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small value translations shared by the mappers: marks, selectors, conditions, nullable lists. */
public final class Values {
    private Values() {
    }

    /** Marks are unsigned 32-bit: always "0x%08x", never a negative number. */
    public static String mark(Long mark) {
        return mark == null ? null : String.format(Locale.ROOT, "0x%08x", mark & 0xffffffffL);
    }

    /**
     * A stored mark; text that is not a hex number (a hand-edited status) reads as "no mark", which the
     * controller treats as not allocated and allocates again, rather than failing the whole snapshot.
     */
    public static Long mark(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            long v = Long.parseLong(hex, 16);
            return v < 0 || v > 0xffffffffL ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s) {
        if (s == null) {
            return null;
        }
        List<LabelSelector.Requirement> reqs = new ArrayList<>();
        for (var e : list(s.getMatchExpressions())) {
            if (e != null) {
                // an unknown operator ("in") is kept as text for the condition, never thrown
                reqs.add(LabelSelector.Requirement.parse(e.getKey(), e.getOperator(), e.getValues()));
            }
        }
        return new LabelSelector(s.getMatchLabels(), reqs);
    }

    static io.fabric8.kubernetes.api.model.LabelSelector selector(LabelSelector s) {
        if (s == null) {
            return null;
        }
        var out = new io.fabric8.kubernetes.api.model.LabelSelector();
        if (!s.matchLabels().isEmpty()) {
            out.setMatchLabels(new java.util.TreeMap<>(s.matchLabels()));
        }
        if (!s.matchExpressions().isEmpty()) {
            List<io.fabric8.kubernetes.api.model.LabelSelectorRequirement> reqs = new ArrayList<>();
            for (var r : s.matchExpressions()) {
                reqs.add(new io.fabric8.kubernetes.api.model.LabelSelectorRequirement(r.key(), r.operator().name(),
                        r.values().isEmpty() ? null : new ArrayList<>(r.values())));
            }
            out.setMatchExpressions(reqs);
        }
        return out;
    }

    public static List<Condition> conditions(List<io.fabric8.kubernetes.api.model.Condition> in) {
        List<Condition> out = new ArrayList<>();
        for (var c : list(in)) {
            Condition.Status status;
            try {
                status = Condition.Status.valueOf(c.getStatus());
            } catch (RuntimeException e) {
                status = Condition.Status.Unknown;
            }
            out.add(new Condition(c.getType(), status, nz(c.getReason()), nz(c.getMessage()),
                    c.getObservedGeneration() == null ? 0 : c.getObservedGeneration(), time(c.getLastTransitionTime())));
        }
        return out;
    }

    public static List<io.fabric8.kubernetes.api.model.Condition> conditionsToCr(List<Condition> in) {
        if (in == null || in.isEmpty()) {
            return null;
        }
        List<io.fabric8.kubernetes.api.model.Condition> out = new ArrayList<>();
        for (Condition c : in) {
            var f = new io.fabric8.kubernetes.api.model.Condition();
            f.setType(c.type());
            f.setStatus(c.status().name());
            f.setReason(c.reason());
            f.setMessage(c.message());
            f.setObservedGeneration(c.observedGeneration());
            f.setLastTransitionTime(c.lastTransitionTime() == null ? null
                    : c.lastTransitionTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            out.add(f);
        }
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static Instant time(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(rfc3339);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
