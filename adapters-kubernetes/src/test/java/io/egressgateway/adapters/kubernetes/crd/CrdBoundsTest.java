package io.egressgateway.adapters.kubernetes.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bounds that keep every CEL rule inside a real API server's cost budget, and the selector
 * schema of issue 13. The API server estimates a rule's cost from the largest input the schema
 * allows: a list without maxItems or a string without maxLength counts as megabytes (the request
 * size limit), and the CRD is refused. So everything a rule can reach must be bounded.
 */
class CrdBoundsTest {
    static final CelRules POLICY = CelRulesTest.POLICY;
    static final CelRules GATEWAY = CelRulesTest.GATEWAY;

    @ParameterizedTest
    @ValueSource(strings = {"egressgatewaypolicies", "egressgateways", "egressnodes", "egressendpointslices",
            "egressclusterinfos"})
    void everythingARuleCanReachIsBounded(String plural) {
        CelRules rules = CelRules.load(plural + ".egressgateway.spidernet.io-v1.yml");
        List<String> unbounded = new ArrayList<>();
        for (String rulePath : rules.rulePaths()) {
            for (String p : rules.subtree(rulePath)) {
                JSONSchemaProps s = rules.schema(p);
                boolean enumerated = s.getEnum() != null && !s.getEnum().isEmpty();
                if ("array".equals(s.getType()) && s.getMaxItems() == null) {
                    unbounded.add(p + " (array without maxItems)");
                } else if ("string".equals(s.getType()) && s.getMaxLength() == null && !enumerated) {
                    unbounded.add(p + " (string without maxLength)");
                } else if ("object".equals(s.getType()) && s.getAdditionalProperties() != null
                        && s.getMaxProperties() == null) {
                    unbounded.add(p + " (map without maxProperties)");
                }
            }
        }
        assertThat(unbounded).as("schema nodes a CEL rule reaches without a bound").isEmpty();
    }

    @Test
    void listsThatRulesIterateHaveTheDocumentedBounds() {
        assertThat(POLICY.schema("spec.destCIDR").getMaxItems()).isEqualTo((long) Crds.MAX_CIDRS);
        assertThat(POLICY.schema("spec.destCIDR[]").getMaxLength()).isEqualTo((long) Crds.CIDR_LENGTH);
        assertThat(POLICY.schema("spec.appliedTo.podSubnet").getMaxItems()).isEqualTo((long) Crds.MAX_CIDRS);
        assertThat(GATEWAY.schema("spec.ippools.ipv4").getMaxItems()).isEqualTo((long) Crds.MAX_POOL_ENTRIES);
        assertThat(GATEWAY.schema("spec.ippools.ipv6[]").getMaxLength()).isEqualTo((long) Crds.POOL_ENTRY_LENGTH);
    }

    @Test
    void theLongestLegalValuesFitTheBounds() {
        String v6 = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
        assertThat(v6).hasSize(Crds.IP_LENGTH);
        assertThat(v6 + "/128").hasSizeLessThanOrEqualTo(Crds.CIDR_LENGTH);
        assertThat(v6 + "-" + v6).hasSizeLessThanOrEqualTo(Crds.POOL_ENTRY_LENGTH);
        assertThat(POLICY.violations("spec.destCIDR", List.of("::ffff:255.255.255.255/128"))).isEmpty();
    }

    @Test
    void everySelectorRequiresKeyAndOperatorAndKnowsTheFourOperators() {
        for (var at : List.of(Map.entry(GATEWAY, "spec.nodeSelector"), Map.entry(POLICY, "spec.appliedTo.podSelector"),
                Map.entry(POLICY, "spec.appliedTo.namespaceSelector"))) {
            String req = at.getValue() + ".matchExpressions[]";
            assertThat(at.getKey().schema(req).getRequired()).as(req).containsExactlyInAnyOrder("key", "operator");
            assertThat(at.getKey().schema(req + ".operator").getEnum()).as(req + ".operator")
                    .map(n -> n.asString()).containsExactlyInAnyOrder("In", "NotIn", "Exists", "DoesNotExist");
            assertThat(at.getKey().schema(req + ".key").getMinLength()).isEqualTo(1L);
            assertThat(at.getKey().schema(at.getValue() + ".matchLabels").getMaxProperties())
                    .isEqualTo((long) Crds.MAX_SELECTOR_LABELS);
        }
    }
}
