package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.egressgateway.testbed.Root;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.chart.Helm;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The install as the chart's users do it, on an empty control plane: {@code helm install} (CRDs from
 * the chart's crds/, everything else from its templates with the default values), then the
 * controller starts and serves admission; {@code helm uninstall} removes what the release made and
 * leaves the CRDs (and so the users' objects), as Helm does with crds/.
 */
class ChartInstallE2EIT {
    private Testbed testbed;
    private EgressCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    void helmInstallThenTheControllerServesAdmissionAndHelmUninstallRemovesTheRelease() throws Exception {
        Root.assumeRoot();
        Helm.binary();
        testbed = Testbed.build(TestbedOptions.builder().nodes(2).gatewayNodes(2).crdDir(null).build());
        assertThat(testbed.client().apiextensions().v1().customResourceDefinitions().list().getItems()).isEmpty();

        helm("install", Helm.RELEASE, Helm.chart().toString(), "--namespace", "egressgateway", "--create-namespace");
        assertThat(testbed.client().apiextensions().v1().customResourceDefinitions().list().getItems()).hasSize(5);
        assertThat(testbed.client().apps().daemonSets().inNamespace("egressgateway").withName("egressgateway-agent").get())
                .isNotNull();
        assertThat(testbed.client().admissionRegistration().v1().validatingAdmissionPolicies()
                .withName("egressgateway-agent-node-restriction").get()).isNotNull();

        cluster = EgressCluster.startController(testbed, Map.of("EGW_HEARTBEAT_EVICTIONTIMEOUT", "60s"),
                EgressCluster.Launch.testing());
        String ca = Files.readString(testbed.runDir().resolve("webhook-ca.pem")).strip();
        Waits.until("the controller's CA in the webhook configurations", Duration.ofSeconds(60), () ->
                testbed.client().admissionRegistration().v1().validatingWebhookConfigurations()
                        .withName("egressgateway-validating").get().getWebhooks().stream()
                        .allMatch(w -> ca.equals(decoded(w.getClientConfig().getCaBundle()))));
        String bad = """
                apiVersion: egressgateway.spidernet.io/v1
                kind: EgressGatewayPolicy
                metadata: {name: bad}
                spec:
                  appliedTo: {podSelector: {matchLabels: {app: a}}}
                  egressGatewayName: nowhere
                """;
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                () -> new Resources(testbed.client()).create(bad));
        assertThat(e).as("a policy naming a gateway that does not exist was accepted").isNotNull();
        assertThat(e.getMessage()).doesNotContain("failed calling webhook").contains("denied the request");

        cluster.close();
        cluster = null;
        helm("uninstall", Helm.RELEASE, "--namespace", "egressgateway");
        assertThat(testbed.client().admissionRegistration().v1().validatingWebhookConfigurations()
                .withName("egressgateway-validating").get()).isNull();
        assertThat(testbed.client().apps().daemonSets().inNamespace("egressgateway").withName("egressgateway-agent").get())
                .isNull();
        assertThat(testbed.client().apiextensions().v1().customResourceDefinitions().list().getItems())
                .as("helm leaves the CRDs of crds/ installed").hasSize(5);
    }

    /** helm against the testbed's API server, with its caches and settings in the run's directory. */
    private void helm(String... args) {
        List<String> argv = new ArrayList<>(List.of("env", "HELM_CACHE_HOME=" + testbed.runDir().resolve("helm/cache"),
                "HELM_CONFIG_HOME=" + testbed.runDir().resolve("helm/config"),
                "HELM_DATA_HOME=" + testbed.runDir().resolve("helm/data"), Helm.binary().toString()));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--kubeconfig", testbed.kubeconfig().toString()));
        ProcessRunner.Result r = ProcessRunner.tryRun(argv, Duration.ofMinutes(3));
        assertThat(r.exitCode()).as("helm %s:\n%s\n%s", String.join(" ", args), r.stdout(), r.stderr()).isZero();
    }

    private static String decoded(String b64) {
        return b64 == null || b64.isEmpty() ? "" : new String(java.util.Base64.getDecoder().decode(b64)).strip();
    }
}
