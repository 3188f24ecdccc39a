package io.egressgateway.adapters.kubernetes.crd;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * Schema only (via {@code @SchemaFrom}): {@code metav1.LabelSelector} as the CRDs publish it. The
 * Java fields stay fabric8's {@code LabelSelector}; this class only makes the API server refuse what
 * the mapping cannot read (an unknown operator, a missing key) and bounds the sizes. Bounds and why:
 * docs/api-limits.md.
 */
public final class LabelSelectorSchema {
    @Size(max = Crds.MAX_SELECTOR_LABELS)
    public Map<String, @Size(max = Crds.LABEL_VALUE_LENGTH) String> matchLabels;
    @Size(max = Crds.MAX_SELECTOR_EXPRESSIONS)
    public List<Requirement> matchExpressions;

    private LabelSelectorSchema() {
    }

    /** {@code metav1.LabelSelectorRequirement}: key and operator required, operator one of four. */
    public static final class Requirement {
        @Required
        @Size(min = 1, max = Crds.LABEL_KEY_LENGTH)
        public String key;
        @Required
        public Operator operator;
        @Size(max = Crds.MAX_SELECTOR_VALUES)
        public List<@Size(max = Crds.LABEL_VALUE_LENGTH) String> values;

        private Requirement() {
        }
    }

    /** The operators of metav1.LabelSelectorRequirement, spelled as the API spells them. */
    public enum Operator {
        In, NotIn, Exists, DoesNotExist
    }
}
