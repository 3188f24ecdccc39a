package io.egressgateway.testbed.container;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a kubelet knows about one pod besides its spec: its name, namespace and node, the addresses
 * the downward API reports, the network namespace it joins, where its volumes live on the node, the
 * service-account directory it mounts, and what the cluster adds to every container's environment
 * (the {@code kubernetes} Service's {@code KUBERNETES_SERVICE_HOST/PORT}, a test's overrides).
 */
public record PodContext(String podName, String namespace, String nodeName, String hostIp, String podIp,
        String netnsPath, Path volumeDir, Path serviceAccountDir, Map<String, String> clusterEnv,
        Map<String, String> overrides, String runLabel) {
    public PodContext {
        clusterEnv = Map.copyOf(clusterEnv);
        overrides = Map.copyOf(overrides);
    }
}
