package io.egressgateway.bootstrap;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.egressgateway.adapters.kubernetes.KubernetesAdapters;
import io.egressgateway.adapters.linux.LinuxDatapath;
import io.egressgateway.adapters.linux.UdpPeerWitness;
import io.egressgateway.adapters.webhook.WebhookConfig;
import io.egressgateway.adapters.webhook.WebhookServer;
import io.egressgateway.application.agent.AgentMetrics;
import io.egressgateway.application.agent.AgentService;
import io.egressgateway.application.agent.AgentStats;
import io.egressgateway.application.agent.DomainDatapathPlanning;
import io.egressgateway.application.agent.NodeDatapathReconciler;
import io.egressgateway.application.agent.TrafficMetrics;
import io.egressgateway.application.config.Settings;
import io.egressgateway.application.lifecycle.ReadinessCheck;
import io.egressgateway.application.metrics.MetricSources;
import com.codahale.metrics.Gauge;
import java.util.List;

/** The agent role: the kernel adapter, the agent-side Kubernetes ports, the loop, metrics and health. */
final class AgentRoleModule extends AbstractModule {
    @Override
    protected void configure() {
        install(new KubernetesAdapterModule());
        install(new LinuxAdapterModule());
        install(new WebhookAdapterModule());
    }

    @Provides
    @Singleton
    AgentStats stats() {
        // the pass phases on the process's CPU clock: the read-back runs on the namespace thread, GC and JIT
        // on their own, and all of it is the pass's (docs/agent.md "Where a pass spends its time")
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os && os.getProcessCpuTime() >= 0) {
            return new AgentStats(os::getProcessCpuTime);
        }
        return new AgentStats();
    }

    /** Traffic per policy and EIP from the kernel's counters (docs/traffic-metrics.md). */
    @Provides
    @Singleton
    TrafficMetrics traffic(Main.CommonOptions options, LinuxDatapath linux) {
        return new TrafficMetrics(options.nodeName(), linux.trafficCountersPort());
    }

    @Provides
    @Singleton
    AgentService agent(Settings settings, Main.CommonOptions options, KubernetesAdapters kube, LinuxDatapath linux,
                       AgentStats stats, TrafficMetrics traffic) {
        String node = options.nodeName();
        var watch = kube.watchAgentState();
        AgentService agent = new AgentService(node, settings, watch, kube.renewHeartbeat(), stats,
                fenced -> new NodeDatapathReconciler(node, watch, linux.nodeFactsPort(), linux.observePort(),
                        linux.applyPort(), linux.deleteConnectionsPort(), kube.updateOwnEgressNode(),
                        traffic.planning(new DomainDatapathPlanning(node, settings, linux.trafficCountersPort().supported())),
                        fenced, stats, java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                            Thread t = new Thread(r, "egressnode-report");
                            t.setDaemon(true);
                            return t;
                        })));
        if (settings.agent().witnessPort() > 0) {
            agent.enableApiOutageWitness(new UdpPeerWitness(linux.executor(), settings.agent().witnessPort()),
                    kube.apiReachability());
        }
        return agent;
    }

    @Provides
    @Singleton
    RoleServices services(Settings settings, KubernetesAdapters kube, LinuxDatapath linux, AgentService agent,
                          AgentStats stats, MetricRegistry metrics, WebhookConfig.Limits limits, TrafficMetrics traffic) {
        // what /metrics adds to the JVM's, one source per line (docs/metrics.md)
        MetricSources sources = new MetricSources();
        sources.add(BuildInfo.of("agent"));
        sources.add(new AgentMetrics(stats, agent::heartbeatAgeMillis, agent::fenced));
        sources.add(traffic);
        registerPassTimes(metrics, stats);
        ReadinessCheck ready = () -> agent.ready() ? ReadinessCheck.Result.ok("caches synced, last pass applied")
                : ReadinessCheck.Result.failing("caches not synced or the last pass failed");
        WebhookConfig http = WebhookConfig.of(new Settings.Ports(0, settings.ports().metrics(), settings.ports().health()),
                null, limits);
        List<io.egressgateway.application.lifecycle.Service> services = new java.util.ArrayList<>(List.of(
                new Closer("linux datapath", linux),
                new Closer("kubernetes client", kube),
                WebhookServer.service(http, new WebhookServer.Wiring(null, metrics, agent::liveness, ready, null)
                        .withSources(sources))));
        agent.witnessKey(kube.witnessKey()).ifPresent(services::add);
        services.add(agent);
        return new RoleServices(services);
    }

    /**
     * Recent pass durations by kind (issue 18): "steady" passes read the kernel back and had nothing to
     * do (the periodic resync at rest), "incremental" ones trust the last good plan (event passes);
     * p50/p99 over the last 256 of each.
     */
    private static void registerPassTimes(MetricRegistry m, AgentStats s) {
        for (var kind : java.util.Map.of("steady", s.steadyPasses(), "incremental", s.incrementalPasses()).entrySet()) {
            String base = "egressgateway.agent.pass." + kind.getKey();
            m.register(base + ".recent", (Gauge<Long>) kind.getValue()::count);
            m.register(base + ".p50.seconds", (Gauge<Double>) () -> kind.getValue().quantileSeconds(0.5));
            m.register(base + ".p99.seconds", (Gauge<Double>) () -> kind.getValue().quantileSeconds(0.99));
        }
    }
}
