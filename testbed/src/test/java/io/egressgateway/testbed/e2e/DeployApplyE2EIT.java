package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Root;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An install as a user does it, on an empty control plane: {@code kubectl apply -f deploy/crds/} then
 * {@code kubectl apply -f deploy/}, then the controller starts and serves admission: it publishes its CA
 * into the webhook configurations that already exist, and again after they were re-applied with
 * {@code caBundle: ""}.
 */
class DeployApplyE2EIT {
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
    void kubectlApplyOfDeployThenTheControllerServesAdmissionAlsoAfterAReapply() throws Exception {
        Root.assumeRoot();
        testbed = Testbed.build(TestbedOptions.builder().nodes(2).gatewayNodes(2).crdDir(null).build());
        Path deploy = ProjectPaths.find("deploy");
        assertThat(testbed.client().apiextensions().v1().customResourceDefinitions().list().getItems()).isEmpty();

        kubectl("apply", "-f", deploy.resolve("crds").toString());
        kubectl("wait", "--for=condition=Established", "--timeout=60s", "-f", deploy.resolve("crds").toString());
        kubectl("apply", "-f", deploy.toString());

        cluster = EgressCluster.startController(testbed, Map.of("EGW_HEARTBEAT_EVICTIONTIMEOUT", "60s"),
                EgressCluster.Launch.testing());
        String ca = Files.readString(testbed.runDir().resolve("webhook-ca.pem")).strip();
        awaitCaBundlePublished(ca);
        assertAdmissionServed();

        // a re-apply that clears the CA bundle, as `kubectl apply --server-side` of the file does
        kubectl("apply", "--server-side", "--force-conflicts", "-f", deploy.resolve("webhooks.yaml").toString());
        awaitCaBundlePublished(ca);
        assertAdmissionServed();

        kubectl("apply", "-f", ProjectPaths.find("deploy/examples").toString());
        assertPolicyColumns();
    }

    /**
     * {@code kubectl get} on the real API server shows the columns in api.md's order (plus MODE), with
     * the mode the mutating webhook defaulted; {@code -o wide} appends the detail columns.
     */
    private void assertPolicyColumns() {
        List<String> normal = List.of("NAME", "GATEWAY", "MODE", "EIPV4", "EIPV6", "NODE",
                "ENDPOINTS", "PROGRAMMED", "AGE");
        String[] table = kubectl("get", "egressgatewaypolicies").split("\n");
        assertThat(List.of(table[0].trim().split("\\s+"))).isEqualTo(normal);
        assertThat(table[1].trim().split("\\s+")).as(table[1]).startsWith("shop", "default", "EgressIP");
        String[] wide = kubectl("get", "egressgatewaypolicies", "-o", "wide").split("\n");
        List<String> all = new ArrayList<>(normal);
        all.addAll(List.of("NODES", "PRIORITY", "READY"));
        assertThat(List.of(wide[0].trim().split("\\s+"))).isEqualTo(all);
    }

    private void awaitCaBundlePublished(String ca) {
        Waits.until("the controller's CA in both webhook configurations", java.time.Duration.ofSeconds(60), () -> {
            var v = testbed.client().admissionRegistration().v1().validatingWebhookConfigurations()
                    .withName("egressgateway-validating").get();
            var m = testbed.client().admissionRegistration().v1().mutatingWebhookConfigurations()
                    .withName("egressgateway-mutating").get();
            return v.getWebhooks().stream().allMatch(w -> ca.equals(decoded(w.getClientConfig().getCaBundle())))
                    && m.getWebhooks().stream().allMatch(w -> ca.equals(decoded(w.getClientConfig().getCaBundle())));
        });
    }

    /** The webhook itself answers: a policy with a bad CIDR is refused with the webhook's own message. */
    private void assertAdmissionServed() {
        Resources resources = new Resources(testbed.client());
        String bad = """
                apiVersion: egressgateway.spidernet.io/v1
                kind: EgressGatewayPolicy
                metadata: {name: bad}
                spec:
                  appliedTo: {podSelector: {matchLabels: {app: a}}}
                  egressGatewayName: nowhere
                """;
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () -> resources.create(bad));
        assertThat(e).as("a policy naming a gateway that does not exist was accepted").isNotNull();
        assertThat(e.getMessage()).doesNotContain("failed calling webhook").contains("denied the request");
    }

    private static String decoded(String b64) {
        return b64 == null || b64.isEmpty() ? "" : new String(java.util.Base64.getDecoder().decode(b64)).strip();
    }

    private String kubectl(String... args) {
        ProcessRunner.Result r = testbed.controlPlane().kubectl(args);
        assertThat(r.exitCode()).as("kubectl " + String.join(" ", args) + ": " + r.stderr()).isZero();
        return r.stdout();
    }
}
