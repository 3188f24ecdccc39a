package io.egressgateway.testbed.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pod-spec-to-podman mapping, on pod specs written here (never the install's own values). */
class ContainerArgsTest {
    @TempDir
    Path dir;

    private PodSpec spec(String yaml) {
        return new KubernetesSerialization().unmarshal(yaml, PodSpec.class);
    }

    private PodContext ctx() {
        return new PodContext("p-1", "ns", "node7", "192.0.2.17", "192.0.2.17", "/run/netns/x", dir.resolve("vol"),
                dir.resolve("sa"), Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"), Map.of("OVERRIDE", "o"), "run=x");
    }

    private List<String> args(PodSpec s) {
        Container c = s.getContainers().get(0);
        return ContainerArgs.of("name-1", s, c, "img:1", "", ctx(), new Volumes());
    }

    @Test
    void capabilitiesStartFromTheCriDefaultThenDropAndAdd() {
        List<String> a = args(spec("""
                containers:
                - name: c
                  securityContext: {capabilities: {drop: [ALL], add: [NET_ADMIN, CAP_NET_RAW]}}
                """));
        assertThat(a).contains("--cap-drop=all", "--cap-add=NET_ADMIN,NET_RAW");
        List<String> b = args(spec("""
                containers:
                - name: c
                  securityContext: {capabilities: {drop: [MKNOD]}}
                """));
        String added = b.stream().filter(x -> x.startsWith("--cap-add=")).findFirst().orElseThrow();
        assertThat(added).contains("NET_RAW", "CHOWN").doesNotContain("MKNOD");
    }

    @Test
    void seccompPrivilegeEscalationReadOnlyRootAndUser() {
        List<String> a = args(spec("""
                securityContext: {runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
                containers:
                - name: c
                  securityContext: {runAsGroup: 2000, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
                    runAsNonRoot: true}
                """));
        assertThat(a).contains("--security-opt=no-new-privileges", "--read-only", "--read-only-tmpfs=false",
                "--user=1000:2000").doesNotContain("--security-opt=seccomp=unconfined");
        assertThat(args(spec("containers: [{name: c}]"))).as("kubelet's default seccomp is Unconfined")
                .contains("--security-opt=seccomp=unconfined");
        assertThat(args(spec("containers: [{name: c, securityContext: {privileged: true}}]"))).contains("--privileged")
                .doesNotContain("--cap-drop=all");
    }

    @Test
    void runAsNonRootWithTheImagesRootUserIsRefused() {
        assertThatThrownBy(() -> args(spec("containers: [{name: c, securityContext: {runAsNonRoot: true}}]")))
                .hasMessageContaining("runAsNonRoot").hasMessageContaining("container c");
    }

    @Test
    void environmentResolvesFieldRefsExpandsVariablesAndTakesOverridesLast() {
        List<String> a = args(spec("""
                containers:
                - name: c
                  command: [java, "-Dnode=$(NODE)", "$$(NOT)", -jar, /app/x.jar]
                  args: ["--name=$(POD)"]
                  env:
                  - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                  - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                  - {name: OVERRIDE, value: manifest}
                  - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
                  resources: {limits: {memory: 256Mi}}
                """));
        assertThat(a).contains("KUBERNETES_SERVICE_HOST=10.96.0.1", "NODE=node7", "POD=p-1", "OVERRIDE=o", "MEM=256",
                "--memory=268435456", "--memory-swap=268435456",
                "--entrypoint=[\"java\",\"-Dnode=node7\",\"$(NOT)\",\"-jar\",\"/app/x.jar\"]");
        assertThat(a.subList(a.indexOf("img:1"), a.size())).containsExactly("img:1", "--name=p-1");
        assertThatThrownBy(() -> args(spec("""
                containers:
                - name: c
                  env: [{name: X, valueFrom: {fieldRef: {fieldPath: metadata.labels}}}]
                """))).hasMessageContaining("metadata.labels").hasMessageContaining("env X");
    }

    @Test
    void volumesHostPathEmptyDirAndTheServiceAccountToken() throws IOException {
        Path lock = dir.resolve("run/lock");
        List<String> a = args(spec("""
                containers:
                - name: c
                  volumeMounts:
                  - {name: lock, mountPath: /run/lock}
                  - {name: tmp, mountPath: /tmp}
                  - {name: mem, mountPath: /cache}
                volumes:
                - {name: lock, hostPath: {path: %s, type: FileOrCreate}}
                - {name: tmp, emptyDir: {}}
                - {name: mem, emptyDir: {medium: Memory}}
                """.formatted(lock)));
        assertThat(Files.isRegularFile(lock)).as("FileOrCreate creates the file").isTrue();
        assertThat(a).contains(lock + ":/run/lock", dir.resolve("vol/tmp") + ":/tmp",
                "type=tmpfs,destination=/cache", dir.resolve("sa") + ":" + Volumes.SERVICE_ACCOUNT_MOUNT + ":ro");
        assertThat(Files.isDirectory(dir.resolve("vol/tmp"))).isTrue();
        assertThat(args(spec("automountServiceAccountToken: false\ncontainers: [{name: c}]")))
                .noneMatch(x -> x.contains(Volumes.SERVICE_ACCOUNT_MOUNT));
        assertThatThrownBy(() -> args(spec("""
                containers: [{name: c, volumeMounts: [{name: cm, mountPath: /etc/x}]}]
                volumes: [{name: cm, configMap: {name: x}}]
                """))).hasMessageContaining("volume cm").hasMessageContaining("hostPath and emptyDir");
    }

    @Test
    void theInstallManifestReaderFindsOneDeploymentAndOneDaemonSet() throws IOException {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, """
                # comment
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: a, namespace: n}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: n}
                spec:
                  selector: {matchLabels: {a: b}}
                  template: {metadata: {labels: {a: b}}, spec: {hostNetwork: true, containers: [{name: agent, image: i}]}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: ctl, namespace: n}
                spec:
                  selector: {matchLabels: {a: c}}
                  template: {metadata: {labels: {a: c}}, spec: {containers: [{name: controller, image: i}]}}
                """);
        InstallManifest m = InstallManifest.read(f);
        assertThat(m.controller().name()).isEqualTo("ctl");
        assertThat(m.agent().template().getSpec().getHostNetwork()).isTrue();
        Files.writeString(f, "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n");
        assertThatThrownBy(() -> InstallManifest.read(f)).hasMessageContaining("0 Deployment(s)");
    }
}
