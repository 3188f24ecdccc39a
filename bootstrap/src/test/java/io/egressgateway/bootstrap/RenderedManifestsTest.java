package io.egressgateway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.bootstrap.config.SettingsLoader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The containers of the rendered manifests (deploy/egressgateway.yaml, the uninstall Job) start the
 * product the way it accepts: every EGW_ variable names a setting and every value binds (the product
 * refuses an unknown one at start), the arguments parse, the JVM runs the image's jar; and the
 * least-privilege context holds (docs/install.md, "Security context").
 */
class RenderedManifestsTest {
    private static final Path DEPLOY = Path.of("..", "deploy");

    private static List<HasMetadata> objects(String file) throws Exception {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : Files.readString(DEPLOY.resolve(file)).split("(?m)^---$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                out.add(Serialization.unmarshal(doc));
            }
        }
        return out;
    }

    private static Map<String, PodSpec> pods() throws Exception {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        for (HasMetadata o : objects("egressgateway.yaml")) {
            if (o instanceof Deployment d) {
                pods.put("controller", d.getSpec().getTemplate().getSpec());
            } else if (o instanceof DaemonSet d) {
                pods.put("agent", d.getSpec().getTemplate().getSpec());
            }
        }
        for (HasMetadata o : objects("uninstall/cleanup-job.yaml")) {
            if (o instanceof Job j) {
                pods.put("cleanup", j.getSpec().getTemplate().getSpec());
            }
        }
        assertThat(pods).containsOnlyKeys("controller", "agent", "cleanup");
        return pods;
    }

    private static List<Container> containers(PodSpec pod) {
        List<Container> all = new ArrayList<>(pod.getContainers());
        all.addAll(pod.getInitContainers());
        return all;
    }

    @Test
    void everyContainersEnvironmentIsAcceptedByTheProduct() throws Exception {
        for (PodSpec pod : pods().values()) {
            for (Container c : containers(pod)) {
                Map<String, String> env = new LinkedHashMap<>();
                for (EnvVar v : c.getEnv()) {
                    env.put(v.getName(), v.getValueFrom() != null ? "from-the-pod" : v.getValue());
                }
                assertThat(env).as(c.getName()).containsKey("EGW_CLUSTER_SERVICECIDRS");
                var loaded = SettingsLoader.loadAll(Optional.empty(), env);
                assertThat(loaded.settings().cluster().serviceCIDRs()).as(c.getName()).containsExactly("10.96.0.0/12");
                assertThat(loaded.settings().namespace()).isEqualTo("egressgateway");
            }
        }
    }

    @Test
    void everyContainerRunsTheJarWithArgumentsTheCommandLineAccepts() throws Exception {
        for (PodSpec pod : pods().values()) {
            for (Container c : containers(pod)) {
                List<String> cmd = c.getCommand();
                assertThat(cmd).as(c.getName()).startsWith("java").endsWith("-jar", "/app/egressgateway.jar")
                        .contains("-XX:+ExitOnOutOfMemoryError").anyMatch(f -> f.startsWith("-Xmx"));
                new CommandLine(new Main()).parseArgs(c.getArgs().toArray(String[]::new));
            }
        }
    }

    @Test
    void leastPrivilege() throws Exception {
        Map<String, PodSpec> pods = pods();
        Container controller = pods.get("controller").getContainers().get(0);
        var sc = controller.getSecurityContext();
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getRunAsUser()).isPositive();
        assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();

        PodSpec agentPod = pods.get("agent");
        assertThat(agentPod.getPriorityClassName()).isEqualTo("system-node-critical");
        Container agent = agentPod.getContainers().get(0);
        assertThat(agent.getSecurityContext().getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
        assertThat(agent.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
        for (Container c : List.of(controller, agent, pods.get("cleanup").getContainers().get(0))) {
            var s = c.getSecurityContext();
            assertThat(s.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(s.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(s.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(s.getSeccompProfile().getType()).as(c.getName()).isEqualTo("RuntimeDefault");
            assertThat(c.getVolumeMounts()).as(c.getName() + ": a writable /tmp on the read-only root")
                    .anyMatch(m -> m.getMountPath().equals("/tmp"));
        }
        // only the init container that sets node-wide sysctls is privileged, and it runs prepare-node alone
        Container init = agentPod.getInitContainers().get(0);
        assertThat(init.getSecurityContext().getPrivileged()).isTrue();
        assertThat(init.getArgs()).first().isEqualTo("prepare-node");
        assertThat(Arrays.asList(agentPod.getVolumes().stream().map(v -> v.getName()).toArray()))
                .doesNotContain("lib-modules");
    }
}
