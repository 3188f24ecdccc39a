package io.egressgateway.testbed.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.bootstrap.config.SettingsLoader;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart: {@code helm lint} passes, the plain manifests in deploy/ are exactly its rendering
 * with the default values ({@code bin/render-manifests --check}), and values other than the defaults
 * render what the product accepts.
 */
class ChartTest {

    @Test
    void helmLintPasses() throws Exception {
        ProcessRunner.Result r = Helm.run("lint", Helm.chart().toString(), "--strict", "--namespace", "egressgateway",
                "--kube-version", Helm.kubeVersion());
        assertThat(r.exitCode()).as("helm lint --strict:\n%s\n%s", r.stdout(), r.stderr()).isZero();
    }

    @Test
    void thePlainManifestsAreTheChartsRendering() {
        ProcessRunner.Result r = ProcessRunner.tryRun(List.of("env", "HELM=" + Helm.binary(),
                ProjectPaths.find("bin/render-manifests").toString(), "--check"), Duration.ofMinutes(2));
        assertThat(r.exitCode()).as("deploy/ drifted from deploy/chart/egressgateway; run bin/render-manifests:\n%s",
                r.stderr()).isZero();
    }

    @Test
    void otherValuesRenderWhatTheProductAccepts() throws Exception {
        String out = Helm.template("egw-system", "enableIPv6=true", "cluster.podCIDRs={10.244.0.0/16,fd00:10:244::/56}",
                "iptables.backend=nft", "tunnel.vxlan.port=4789", "heartbeat.evictionTimeout=9s", "logLevel=DEBUG",
                "agent.prepareNode.multipathHash=false", "controller.replicas=2");
        DaemonSet agent = objects(out).stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast)
                .findFirst().orElseThrow();
        List<Container> containers = new ArrayList<>(agent.getSpec().getTemplate().getSpec().getContainers());
        containers.addAll(agent.getSpec().getTemplate().getSpec().getInitContainers());
        for (Container c : containers) {
            var s = SettingsLoader.loadAll(Optional.empty(), env(c)).settings();
            assertThat(s.enableIPv6()).isTrue();
            assertThat(s.namespace()).isEqualTo("egw-system");
            assertThat(s.cluster().podCIDRs()).containsExactly("10.244.0.0/16", "fd00:10:244::/56");
            assertThat(s.tunnel().port()).isEqualTo(4789);
            assertThat(s.heartbeat().evictionTimeout()).isEqualTo(Duration.ofSeconds(9));
        }
        assertThat(containers.get(1).getArgs()).containsExactly("prepare-node", "--no-multipath-hash");
        assertThat(out).contains("'system:serviceaccount:egw-system:egressgateway-agent'")
                .contains("except: [\"10.244.0.0/16\"]").contains("except: [\"fd00:10:244::/56\"]")
                .contains("replicas: 2");
    }

    @Test
    void optionalPartsCanBeLeftOut() throws Exception {
        String out = Helm.template("egressgateway", "networkPolicy.enabled=false", "agent.prepareNode.enabled=false");
        assertThat(out).doesNotContain("kind: NetworkPolicy").doesNotContain("initContainers:")
                .doesNotContain("kind: Namespace").doesNotContain("kind: Job");
        assertThat(Helm.template("egressgateway", "cleanupNode=node7"))
                .contains("name: egressgateway-cleanup-node7").contains("nodeName: node7");
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : c.getEnv()) {
            env.put(v.getName(), v.getValueFrom() != null ? "from-the-pod" : v.getValue());
        }
        return env;
    }

    private static List<HasMetadata> objects(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---$")) {
            if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
                out.add(Serialization.unmarshal(doc));
            }
        }
        return out;
    }
}
