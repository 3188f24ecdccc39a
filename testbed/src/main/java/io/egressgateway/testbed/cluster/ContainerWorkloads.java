package io.egressgateway.testbed.cluster;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.container.ContainerPod;
import io.egressgateway.testbed.container.InstallManifest;
import io.egressgateway.testbed.container.Podman;
import io.egressgateway.testbed.container.PodContext;
import io.egressgateway.testbed.kube.Identities;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The product's roles as the rendered install manifest runs them (container mode, docs/image.md): the
 * image of the current jars, the controller's Deployment pod in the control plane's namespace (where
 * the API server calls its webhooks) and one DaemonSet pod per node in the node's namespace (the
 * DaemonSet is hostNetwork), each with a token bound to its Pod mounted where kubelet mounts it and
 * KUBERNETES_SERVICE_HOST/PORT of the {@code kubernetes} Service, so the product uses its in-cluster
 * configuration. Nothing of the pod templates is restated here: {@code settings} are a test's overrides
 * of the environment, as a user would set values at install.
 */
final class ContainerWorkloads {
    private final Testbed testbed;
    private final InstallManifest manifest;
    private final String image;
    private final Map<String, String> settings;
    private final Map<String, String> clusterEnv = new LinkedHashMap<>();

    private ContainerWorkloads(Testbed testbed, InstallManifest manifest, String image, Map<String, String> settings) {
        this.testbed = testbed;
        this.manifest = manifest;
        this.image = image;
        this.settings = Map.copyOf(settings);
        String[] svc = testbed.exposeApiServerToNodes().split(":");
        clusterEnv.put("KUBERNETES_SERVICE_HOST", svc[0]);
        clusterEnv.put("KUBERNETES_SERVICE_PORT", svc[1]);
        clusterEnv.put("KUBERNETES_SERVICE_PORT_HTTPS", svc[1]);
        clusterEnv.put("KUBERNETES_PORT", "tcp://" + svc[0] + ":" + svc[1]);
    }

    static ContainerWorkloads prepare(Testbed testbed, Map<String, String> settings) {
        Path file = ProjectPaths.find("deploy/egressgateway.yaml");
        if (file == null) {
            throw new IllegalStateException("deploy/egressgateway.yaml not found: container mode runs its pod templates");
        }
        InstallManifest m = InstallManifest.read(file);
        for (InstallManifest.Workload w : new InstallManifest.Workload[] {m.controller(), m.agent()}) {
            if (!w.namespace().equals(Identities.NAMESPACE)) {
                throw new IllegalStateException(file + ": " + w.kind() + " " + w.name() + " is in namespace "
                        + w.namespace() + "; the testbed's service accounts are in " + Identities.NAMESPACE);
            }
        }
        return new ContainerWorkloads(testbed, m, Podman.ensureImage(), settings);
    }

    ContainerPod startController() {
        InstallManifest.Workload w = manifest.controller();
        String pod = "egressgateway-controller-testbed";
        String ip = testbed.controlPlaneAddress();
        return start(w, pod, null, "controller", ip, testbed.controlPlane().netns());
    }

    ContainerPod startAgent(String node) {
        InstallManifest.Workload w = manifest.agent();
        if (!Boolean.TRUE.equals(w.template().getSpec().getHostNetwork())) {
            throw new IllegalStateException(manifest.file() + ": the agent's DaemonSet is not hostNetwork; the testbed"
                    + " runs agents in their node's network namespace");
        }
        return start(w, "egressgateway-agent-" + node, node, "agent", testbed.nodeAddress(node), testbed.nodeNetns(node));
    }

    private ContainerPod start(InstallManifest.Workload w, String pod, String node, String component, String ip, String netns) {
        String sa = w.template().getSpec().getServiceAccountName();
        if (sa == null || sa.isEmpty()) {
            sa = "default";
        }
        Path dir = testbed.runDir().resolve("pods").resolve(pod);
        Path saDir = dir.resolve("serviceaccount");
        String token = testbed.controlPlane().identities().podToken(sa, pod, node, component);
        try {
            Files.createDirectories(saDir);
            Files.writeString(saDir.resolve("token"), token);
            Files.writeString(saDir.resolve("ca.crt"), testbed.controlPlane().caPem());
            Files.writeString(saDir.resolve("namespace"), w.namespace());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the service-account files of " + pod + ": " + e.getMessage(), e);
        }
        PodContext ctx = new PodContext(pod, w.namespace(), node == null ? "" : node, ip, ip, "/run/netns/" + netns,
                dir.resolve("volumes"), saDir, clusterEnv, settings, Podman.RUN_LABEL + "=" + testbed.prefix());
        String container = testbed.prefix() + pod;
        return ContainerPod.start((name, argv, env) -> testbed.startProcess(name, argv, env), pod, container,
                w.template(), image, ctx);
    }
}
