package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.container.ContainerPod;
import io.egressgateway.testbed.container.Podman;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The controller and the agents from the container image (bin/image-build), run by podman exactly as
 * the rendered install manifest (deploy/egressgateway.yaml) gives them: security context, command and
 * JVM flags, environment, hostPath mounts, probes and memory limit are read from it, nothing is
 * restated here, and no setting is overridden. They reach the API server through the
 * {@code kubernetes} Service with the token mounted where kubelet mounts it. The seed's example case,
 * then a failover: the active gateway node's agent container is killed and its link cut.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerE2EIT extends E2ESupport {
    private String eip;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder()
                .pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("shop-gw", 2, Map.of("app", "shopping"))
                .pod("other-1", 1, Map.of("app", "other"))
                .build();
    }

    @Override
    Map<String, String> settings() {
        return Map.of();
    }

    @Override
    EgressCluster.Launch launch() {
        return EgressCluster.Launch.containers();
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
    }

    @Test
    @Order(1)
    void everyRoleRunsFromTheImageAndPassesItsProbes() {
        List<ContainerPod> pods = new ArrayList<>();
        pods.add(cluster.controllerPod());
        testbed.nodeNames().forEach(n -> pods.add(cluster.agentPod(n)));
        for (ContainerPod pod : pods) {
            assertThat(pod).as("a container pod of the cluster").isNotNull();
            Waits.until(pod.name() + " to pass its readiness probe", DEADLINE, pod::ready);
            assertThat(pod.restarts()).as("restarts of %s (liveness failures or exits)", pod.name()).isZero();
            String image = ProcessRunner.run(Podman.cli("inspect", "--format", "{{.ImageName}}", pod.name())).stdout().strip();
            assertThat(image).as("image of %s", pod.name()).startsWith("localhost/egressgateway:");
        }
    }

    /**
     * The agent maps the image's class data sharing archive (docs/image.md): the JVM silently runs
     * without it when it does not fit the JVM or the jars (e.g. their mtimes lost in a layer).
     */
    @Test
    @Order(1)
    void theAgentMapsTheImagesClassArchive() {
        for (String node : testbed.nodeNames()) {
            ContainerPod pod = cluster.agentPod(node);
            String maps = ProcessRunner.run(Podman.cli("exec", pod.name(), "cat", "/proc/1/maps")).stdout();
            assertThat(maps).as("/proc/1/maps of %s (java is its process 1)", pod.name()).contains("/app/cds/agent.jsa");
        }
    }

    @Test
    @Order(2)
    void theSeedExampleWorks() throws Exception {
        eventuallySeen("shop-1", eip);
        eventuallySeen("shop-gw", eip);
        assertThat(seenFrom("other-1", testbed.externalAddress())).as("an unselected pod's source")
                .isEqualTo(testbed.nodeAddress("node1"));
        assertThat(testbed.pod("shop-1").request(testbed.externalExtraAddress(), testbed.echoPort(),
                Duration.ofSeconds(2)).address()).as("a destination outside destCIDR")
                .isEqualTo(testbed.nodeAddress("node1"));
    }

    @Test
    @Order(3)
    void trafficFailsOverWhenTheActiveGatewaysContainerAndLinkAreLost() {
        eventuallySeen("shop-1", eip);
        String active = awaitPolicyStatus("shop", "node");
        String other = active.equals("node2") ? "node3" : "node2";

        cluster.killAgent(active);
        long cut = System.nanoTime();
        testbed.setUnderlayLink(active, false);
        String[] seen = new String[1];
        Waits.until("shop-1 to leave with " + eip + " again after " + active + " failed", DEADLINE, () -> {
            seen[0] = testbed.pod("shop-1").request(testbed.externalAddress(), testbed.echoPort(),
                    Duration.ofSeconds(1)).address();
            return eip.equals(seen[0]);
        });
        System.out.println("BENCHMARK e2e.container.failover.outage_ms=" + (System.nanoTime() - cut) / 1_000_000
                + " (agent container killed and link cut on " + active + ")");
        assertThat(awaitPolicyStatus("shop", "node")).as("the node carrying policy shop after the failover")
                .isEqualTo(other);
        String conntrack = onNode(other, "conntrack", "-L", "-s", testbed.pod("shop-1").ipv4(), "-d",
                testbed.externalAddress());
        assertThat(conntrack).as("conntrack of %s", other).contains("dst=" + eip);
    }
}
