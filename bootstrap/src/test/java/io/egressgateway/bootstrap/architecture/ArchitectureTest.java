package io.egressgateway.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The layering, proven: every rule holds over the product's classes, and every rule fails over a
 * fixture that breaks it on purpose (so a rule that could never fail is caught too).
 */
class ArchitectureTest {
    private static final String PRODUCT = "io.egressgateway";
    private static final String FIXTURE = "fixture.violating";

    private static final JavaClasses PRODUCT_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(PRODUCT);
    private static final JavaClasses FIXTURE_CLASSES = new ClassFileImporter().importPackages(FIXTURE);

    @Test
    void theProductHasClassesInEveryLayer() {
        for (String layer : new String[] {"domain", "application", "adapters.kubernetes", "adapters.linux",
                "adapters.webhook", "bootstrap"}) {
            assertThat(PRODUCT_CLASSES.stream().anyMatch(c -> c.getPackageName().startsWith(PRODUCT + "." + layer)))
                    .as("classes in %s.%s", PRODUCT, layer).isTrue();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRuleHoldsOverTheProduct() {
        return LayeringRules.forRoot(PRODUCT).entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> e.getValue().check(PRODUCT_CLASSES)));
    }

    @TestFactory
    Stream<DynamicTest> everyRuleBitesOnTheViolatingFixture() {
        Map<String, ArchRule> rules = LayeringRules.forRoot(FIXTURE);
        return rules.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () ->
                assertThatThrownBy(() -> e.getValue().check(FIXTURE_CLASSES))
                        .as("rule '%s' must reject the fixture", e.getKey())
                        .isInstanceOf(AssertionError.class)));
    }
}
