package io.egressgateway.testbed.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded API server driven by the real kubectl binary and by the fabric8 client. */
class EmbeddedApiServerIT {
    private static final Path RESOURCES = Path.of("src/test/resources");
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("testbed.example.com").withVersion("v1").withPlural("widgets").withKind("Widget")
            .withNamespaced(false).build();

    @TempDir
    static Path tmp;
    static EmbeddedApiServer api;
    static FakeAdmissionServer webhook;
    static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Kubectl.installed(), "kubectl is not installed: skipping the kubectl tests");
        api = EmbeddedApiServer.start(0);
        assertThat(api.installCrds(RESOURCES.resolve("crds"))).containsExactly("widgets.testbed.example.com");
        webhook = new FakeAdmissionServer();
        api.installWebhooks(RESOURCES.resolve("webhooks.yaml"), URI.create(webhook.endpoint()), webhook.caPem());
        kubectl = new Kubectl(api.writeKubeconfig(tmp.resolve("kubeconfig")), Files.createDirectories(tmp.resolve("cache")));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    private static String widget(String name, String color, String extra) {
        return "apiVersion: testbed.example.com/v1\nkind: Widget\nmetadata:\n  name: " + name + "\nspec:\n  color: "
                + color + "\n" + extra;
    }

    @Test
    void kubectlListsANodeCreatedThroughTheClient() {
        api.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("node9")
                .addToLabels("egress", "true").endMetadata().withNewSpec().addToPodCIDRs("10.244.9.0/24").endSpec()
                .build()).create();

        ProcessRunner.Result get = kubectl.run("get", "nodes", "-l", "egress=true", "-o", "name");
        assertThat(get.stderr()).isEmpty();
        assertThat(get.stdout()).contains("node/node9");
        assertThat(kubectl.run("describe", "node", "node9").stdout()).contains("PodCIDRs:").contains("10.244.9.0/24");
    }

    @Test
    void kubectlAppliesGetsDescribesAndDeletesACustomResource() throws Exception {
        ProcessRunner.Result apply = kubectl.withFile(widget("w1", "red", ""), "apply", "--validate=false");
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(apply.stdout()).contains("widget.testbed.example.com/w1 created");

        assertThat(kubectl.run("get", "widgets").stdout()).as("printer columns of the CRD")
                .containsPattern("NAME\\s+COLOR\\s+AGE").containsPattern("w1\\s+red\\s+\\d+s");
        assertThat(kubectl.run("get", "wd", "w1", "-o", "jsonpath={.spec.color}").stdout()).isEqualTo("red");
        assertThat(kubectl.run("describe", "widget", "w1").stdout()).contains("Color:").contains("red");

        ProcessRunner.Result delete = kubectl.run("delete", "widget", "w1");
        assertThat(delete.exitCode()).as(delete.stderr()).isZero();
        assertThat(api.client().genericKubernetesResources(WIDGETS).withName("w1").get()).isNull();
    }

    @Test
    void kubectlApplyWithoutValidateFalseFailsForWantOfOpenApi() throws Exception {
        ProcessRunner.Result apply = kubectl.withFile(widget("w2", "red", ""), "apply");
        assertThat(apply.exitCode()).isNotZero();
        assertThat(apply.stderr()).contains("--validate=false");
    }

    @Test
    void kubectlApplyOfAShorterListReplacesTheList() throws Exception {
        kubectl.withFile(widget("w3", "red", "  sizes: [1, 2, 3]\n"), "apply", "--validate=false");
        ProcessRunner.Result again = kubectl.withFile(widget("w3", "red", "  sizes: [9]\n"), "apply", "--validate=false");
        assertThat(again.stdout()).as(again.stderr()).contains("configured");

        assertThat(sizes("w3")).containsExactly(9);
    }

    @Test
    void clientMergePatchReplacesListsAndNullRemoves() throws Exception {
        kubectl.withFile(widget("w4", "red", "  sizes: [1, 2, 3]\n  shape: round\n"), "apply", "--validate=false");

        api.client().genericKubernetesResources(WIDGETS).withName("w4").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"sizes\":[7],\"shape\":null}}");

        GenericKubernetesResource w = api.client().genericKubernetesResources(WIDGETS).withName("w4").get();
        assertThat(sizes("w4")).containsExactly(7);
        assertThat(((Map<?, ?>) w.getAdditionalProperties().get("spec")).containsKey("shape")).isFalse();
    }

    @Test
    void aDenyingWebhookRefusesKubectlApplyWithItsMessage() throws Exception {
        ProcessRunner.Result apply = kubectl.withFile(widget("w5", "black", ""), "apply", "--validate=false");

        assertThat(apply.exitCode()).isNotZero();
        assertThat(apply.stderr()).contains("admission webhook \"vwidget.testbed.example.com\" denied the request: "
                + "spec.color: value \"black\" is not allowed");
        assertThat(api.client().genericKubernetesResources(WIDGETS).withName("w5").get()).isNull();
    }

    @Test
    void aMutatingWebhookFillsDefaultsAndWarningsReachKubectl() throws Exception {
        ProcessRunner.Result apply = kubectl.withFile(widget("w6", "green", ""), "apply", "--validate=false");

        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(apply.stderr()).contains("Warning: spec.color green is fine");
        assertThat(kubectl.run("get", "wd", "w6", "-o", "jsonpath={.spec.size}").stdout()).isEqualTo("1");
        JsonReviewAssert.lastReviewFor(webhook, "w6", "CREATE");
    }

    @Test
    void aFinalizerHoldsDeletionUntilAPatchRemovesIt() throws Exception {
        kubectl.withFile("apiVersion: testbed.example.com/v1\nkind: Widget\nmetadata:\n  name: w7\n"
                + "  finalizers: [testbed.example.com/hold]\nspec:\n  color: red\n", "apply", "--validate=false");

        assertThat(kubectl.run("delete", "wd", "w7", "--wait=false").exitCode()).isZero();
        assertThat(api.client().genericKubernetesResources(WIDGETS).withName("w7").get().getMetadata()
                .getDeletionTimestamp()).isNotEmpty();

        ProcessRunner.Result patch = kubectl.run("patch", "wd", "w7", "--type=merge", "-p",
                "{\"metadata\":{\"finalizers\":null}}");
        assertThat(patch.exitCode()).as(patch.stderr()).isZero();
        assertThat(api.client().genericKubernetesResources(WIDGETS).withName("w7").get()).isNull();
    }

    @Test
    void aPortInUseIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> EmbeddedApiServer.start(api.port())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("port 127.0.0.1:" + api.port() + " is in use");
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> sizes(String name) {
        GenericKubernetesResource w = api.client().genericKubernetesResources(WIDGETS).withName(name).get();
        return (List<Integer>) ((Map<String, Object>) w.getAdditionalProperties().get("spec")).get("sizes");
    }
}
