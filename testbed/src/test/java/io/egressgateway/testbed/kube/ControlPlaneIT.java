package io.egressgateway.testbed.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.Kubectl;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Root;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The testbed's control plane is a real one: kubectl works against it as against a cluster (apply
 * without --validate=false, explain from the CRDs' schemas, printer columns, get -w, namespaces that
 * really terminate, finalizers that hold a delete) and the identities of deploy/rbac.yaml are enforced.
 * No product process runs here: the custom resources are written without admission webhooks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlaneIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    Testbed tb;
    Kubectl kubectl;

    @BeforeAll
    void start() throws Exception {
        Root.assumeRoot();
        tb = Testbed.build(TestbedOptions.builder().nodes(2).gatewayNodes(2).pod("p", 1, Map.of("app", "a")).build());
        kubectl = Kubectl.admin(tb, Files.createDirectories(tb.runDir().resolve("kubectl-cache")));
    }

    @AfterAll
    void stop() {
        if (tb != null) {
            tb.close();
        }
    }

    @Test
    void theServerIsARealKubeApiServerOfThePinnedVersion() throws Exception {
        String pinned = Files.readAllLines(ProjectPaths.find("testbed/kube/go.mod")).stream()
                .filter(l -> l.strip().startsWith("k8s.io/kubernetes v")).findFirst().orElseThrow().strip().split("\\s+")[1];
        assertThat(tb.controlPlane().version()).isEqualTo(pinned);
        ProcessRunner.Result v = kubectl.run("version", "-o", "json");
        assertThat(v.stdout()).as(v.stderr()).contains("\"gitVersion\": \"" + pinned + "\"");
    }

    @Test
    void theExamplesApplyWithSchemaValidationAndListWithThePrinterColumns() {
        Path examples = ProjectPaths.find("deploy/examples");
        ProcessRunner.Result apply = kubectl.run("apply", "-f", examples.toString());
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(kubectl.run("get", "egw").stdout()).contains("NODES").contains("default");
        assertThat(kubectl.run("get", "egwp").stdout()).contains("GATEWAY").contains("shop");
        ProcessRunner.Result explain = kubectl.run("explain", "egressgatewaypolicies.spec.destCIDR");
        assertThat(explain.exitCode()).as(explain.stderr()).isZero();
        assertThat(explain.stdout()).contains("FIELD: destCIDR");
    }

    @Test
    void anObjectAgainstTheSchemaIsRefusedNamingTheField() throws Exception {
        String bad = """
                apiVersion: egressgateway.spidernet.io/v1
                kind: EgressGatewayPolicy
                metadata: {name: bad-cidr}
                spec:
                  appliedTo: {podSelector: {matchLabels: {app: a}}}
                  destCIDR: ["not-a-cidr"]
                """;
        ProcessRunner.Result r = kubectl.withFile(bad, "apply");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("spec.destCIDR");
    }

    @Test
    void aNamespaceIsCreatedAndReallyGoesAwayOnDelete() {
        assertThat(kubectl.run("create", "namespace", "scratch").exitCode()).isZero();
        ProcessRunner.Result del = kubectl.run("delete", "namespace", "scratch", "--timeout=60s");
        assertThat(del.exitCode()).as(del.stderr()).isZero();
        try {
            Waits.until("namespace scratch to be gone", DEADLINE,
                    () -> tb.client().namespaces().withName("scratch").get() == null);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + tb.controlPlane().logs(40), e);
        }
    }

    @Test
    void aFinalizerHoldsTheDeleteUntilItIsRemovedAndGetWatchSeesIt() throws Exception {
        String cm = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: held, namespace: default, finalizers: [testbed.example/hold]}
                """;
        assertThat(kubectl.withFile(cm, "apply").exitCode()).isZero();
        Process watch = new ProcessBuilder(tb.controlPlane().tools().kubectl().toString(), "--kubeconfig",
                tb.kubeconfig().toString(), "get", "configmap", "held", "-w", "--output-watch-events",
                "-o", "jsonpath={.type} {.object.metadata.name}{\"\\n\"}").redirectErrorStream(true).start();
        StringBuffer seen = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (var in = watch.inputReader()) {
                in.lines().forEach(l -> seen.append(l).append('\n'));
            } catch (java.io.IOException e) {
                // the watch was stopped
            }
        });
        reader.start();
        try {
            Waits.until("kubectl get -w to list the configmap", DEADLINE, () -> seen.toString().contains("ADDED held"));
            assertThat(kubectl.run("delete", "configmap", "held", "--wait=false").exitCode()).isZero();
            assertThat(tb.client().configMaps().inNamespace("default").withName("held").get().getMetadata()
                    .getDeletionTimestamp()).isNotNull();
            assertThat(kubectl.run("patch", "configmap", "held", "--type=merge", "-p",
                    "{\"metadata\":{\"finalizers\":null}}").exitCode()).isZero();
            Waits.until("configmap held to be gone", DEADLINE,
                    () -> tb.client().configMaps().inNamespace("default").withName("held").get() == null);
            Waits.until("kubectl get -w to see the delete", DEADLINE, () -> seen.toString().contains("DELETED held"));
        } finally {
            watch.destroy();
            watch.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        assertThat(seen.toString()).contains("MODIFIED held");
    }

    @Test
    void nodesAndPodsCarryWhatTheTestbedReportsAsKubelet() {
        assertThat(tb.client().nodes().withName("node2").get().getStatus().getConditions())
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        assertThat(tb.client().pods().inNamespace("default").withName("p").get().getStatus().getPodIP())
                .isEqualTo(tb.pod("p").ipv4());
    }
}
