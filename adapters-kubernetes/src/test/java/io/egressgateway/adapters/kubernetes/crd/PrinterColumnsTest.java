package io.egressgateway.adapters.kubernetes.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get} shows the columns in the order the spec (api.md) lists them; {@code -o wide}
 * adds the detail columns (priority 1) after them. Reads the committed CRDs, which CrdYamlTest
 * holds equal to the generated ones.
 */
class PrinterColumnsTest {

    @Test
    void gatewayColumnsFollowTheSpec() throws IOException {
        assertColumns("egressgateways", List.of("NODES", "ACTIVE", "IPV4-FREE", "IPV6-FREE", "FORWARD", "AGE"),
                List.of("DEFAULT", "IPV4-TOTAL", "IPV6-TOTAL", "MARK"));
    }

    @Test
    void nodeColumnsFollowTheSpec() throws IOException {
        assertColumns("egressnodes", List.of("PHASE", "TUNNEL-IPV4", "TUNNEL-IPV6", "MAC", "PARENT", "AGE"),
                List.of("PARENT-IPV4", "PARENT-IPV6", "MARK"));
    }

    @Test
    void policyColumnsFollowTheSpecWithTheModeAfterTheGateway() throws IOException {
        // api.md's list plus MODE (issue 19: a policy's mode has a column)
        List<CustomResourceColumnDefinition> columns = assertColumns("egressgatewaypolicies",
                List.of("GATEWAY", "MODE", "EIPV4", "EIPV6", "NODE", "ENDPOINTS", "PROGRAMMED", "AGE"),
                List.of("NODES", "PRIORITY", "READY"));
        assertThat(columns.get(1).getJsonPath()).isEqualTo(".spec.egressIP.mode");
    }

    @Test
    void clusterInfoAndSliceColumnsPutAgeLast() throws IOException {
        assertColumns("egressclusterinfos", List.of("COMPLETE", "AGE"), List.of("POD-CIDRS", "SERVICE-CIDRS"));
        assertColumns("egressendpointslices", List.of("POLICY", "AGE"), List.of());
    }

    @Test
    void aColumnTheClassDoesNotDeclareIsRefused() {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewSpec()
                .withNewNames().withKind("Sample").endNames()
                .addNewVersion().withName("v1")
                .addNewAdditionalPrinterColumn().withName("AGE").withJsonPath(".metadata.creationTimestamp").endAdditionalPrinterColumn()
                .addNewAdditionalPrinterColumn().withName("STRAY").withJsonPath(".status.x").endAdditionalPrinterColumn()
                .endVersion().endSpec().build();
        assertThatThrownBy(() -> new PrinterColumnOrder(List.of(Sample.class)).process(crd, "v1"))
                .hasMessageContaining("Sample: printer column STRAY is not declared");
    }

    @Test
    void theDeclarationOrderWinsOverTheJsonPathOrder() {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewSpec()
                .withNewNames().withKind("Sample").endNames()
                .addNewVersion().withName("v1")
                .addNewAdditionalPrinterColumn().withName("AGE").withJsonPath(".metadata.creationTimestamp").endAdditionalPrinterColumn()
                .addNewAdditionalPrinterColumn().withName("Z").withJsonPath(".status.z").endAdditionalPrinterColumn()
                .endVersion().endSpec().build();
        new PrinterColumnOrder(List.of(Sample.class)).process(crd, "v1");
        assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName).containsExactly("Z", "AGE");
    }

    @Group("example.org")
    @Version("v1")
    @AdditionalPrinterColumn(name = "Z", jsonPath = ".status.z")
    @AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp")
    static class Sample extends CustomResource<Void, Void> {
    }

    private static List<CustomResourceColumnDefinition> assertColumns(String plural, List<String> normal,
            List<String> wide) throws IOException {
        CustomResourceDefinition crd;
        try (InputStream in = Files.newInputStream(
                CrdYamlTest.COMMITTED.resolve(plural + "." + Crds.GROUP + "-v1.yml"))) {
            crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
        List<CustomResourceColumnDefinition> columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
        assertThat(columns).as("%s: kubectl get columns, then the -o wide ones", plural)
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactlyElementsOf(concat(normal, wide));
        assertThat(columns).as("%s: priority 0 for kubectl get, 1 for -o wide only", plural)
                .extracting(c -> c.getPriority() == null ? 0 : c.getPriority())
                .containsExactlyElementsOf(concat(normal.stream().map(n -> 0).toList(),
                        wide.stream().map(n -> 1).toList()));
        return columns;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
