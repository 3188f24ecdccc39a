package io.egressgateway.bootstrap;

import io.egressgateway.adapters.kubernetes.KubernetesAdapters;
import io.egressgateway.adapters.linux.LinuxDatapath;
import io.egressgateway.application.agent.DomainDatapathPlanning;
import io.egressgateway.application.agent.NodeCleanup;
import io.egressgateway.application.config.Settings;
import io.egressgateway.application.port.out.WatchAgentStatePort;
import io.egressgateway.bootstrap.config.SettingsLoader;
import io.egressgateway.domain.model.ClusterInfo;
import io.egressgateway.domain.plan.DatapathPlanner;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code egressgateway cleanup}: deletes every kernel object the agent owns on this node. EIP
 * announcements are recognised by lying inside an EIP pool, which only the API server knows; when it
 * cannot be reached within 10 s, everything else is removed and the command says what it left.
 */
final class Cleanup {
    private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);

    private Cleanup() {
    }

    static int run(Main.CommonOptions common) {
        Settings settings = SettingsLoader.load(common.configFile(), System.getenv());
        // The namespace first: a wrong --netns fails at once, before any API server is contacted.
        try (LinuxDatapath linux = LinuxDatapath.open(common.netns(), settings.iptables().backend())) {
            ClusterInfo info = clusterInfo(common, settings).orElse(null);
            if (info == null) {
                System.err.println("cleanup: the API server could not be read; removing what the node's kernel"
                        + " shows as ours (older agents' EIP proxy entries are recognised by their host route)");
            }
            var scope = DatapathPlanner.scope(DomainDatapathPlanning.plannerSettings(settings), info);
            int removed = new NodeCleanup(linux.observePort(), linux.applyPort(), scope).cleanup();
            System.out.println("cleanup: removed " + removed + " owned kernel objects");
            return 0;
        } catch (RuntimeException e) {
            System.err.println("cleanup: " + e.getMessage());
            return 1;
        }
    }

    private static Optional<ClusterInfo> clusterInfo(Main.CommonOptions common, Settings settings) {
        try (KubernetesAdapters kube = KubernetesAdapters.connect(common.kubeconfig(), settings)) {
            WatchAgentStatePort watch = kube.watchAgentState();
            watch.start(() -> { });
            try {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!watch.synced() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                return watch.synced() ? watch.snapshot().clusterInfo() : Optional.empty();
            } finally {
                watch.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("cleanup: cannot read the cluster's EIP pools: {}", e.toString());
            return Optional.empty();
        }
    }
}
