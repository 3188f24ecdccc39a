package io.egressgateway.bootstrap;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.egressgateway.adapters.kubernetes.KubernetesAdapters;
import io.egressgateway.adapters.linux.LinuxDatapath;
import io.egressgateway.adapters.linux.UdpPeerWitness;
import io.egressgateway.adapters.webhook.WebhookConfig;
import io.egressgateway.adapters.webhook.WebhookServer;
import io.egressgateway.application.agent.AgentService;
import io.egressgateway.application.agent.AgentStats;
import io.egressgateway.application.agent.DomainDatapathPlanning;
import io.egressgateway.application.agent.NodeDatapathReconciler;
import io.egressgateway.application.config.Settings;
import io.egressgateway.application.lifecycle.ReadinessCheck;
import io.egressgateway.domain.datapath.Kind;
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
        return new AgentStats();
    }

    @Provides
    @Singleton
    AgentService agent(Settings settings, Main.CommonOptions options, KubernetesAdapters kube, LinuxDatapath linux,
                       AgentStats stats) {
        String node = options.nodeName();
        var watch = kube.watchAgentState();
        AgentService agent = new AgentService(node, settings, watch, kube.renewHeartbeat(), stats,
                fenced -> new NodeDatapathReconciler(node, watch, linux.nodeFactsPort(), linux.observePort(),
                        linux.applyPort(), linux.deleteConnectionsPort(), kube.updateOwnEgressNode(), new DomainDatapathPlanning(node, settings),
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
                          AgentStats stats, MetricRegistry metrics, WebhookConfig.Limits limits) {
        registerGauges(metrics, stats, agent);
        registerPassTimes(metrics, stats);
        ReadinessCheck ready = () -> agent.ready() ? ReadinessCheck.Result.ok("caches synced, last pass applied")
                : ReadinessCheck.Result.failing("caches not synced or the last pass failed");
        WebhookConfig http = WebhookConfig.of(new Settings.Ports(0, settings.ports().metrics(), settings.ports().health()),
                null, limits);
        List<io.egressgateway.application.lifecycle.Service> services = new java.util.ArrayList<>(List.of(
                new Closer("linux datapath", linux),
                new Closer("kubernetes client", kube),
                WebhookServer.service(http, new WebhookServer.Wiring(null, metrics, agent::liveness, ready, null))));
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
            m.register(base + ".count", (Gauge<Long>) kind.getValue()::count);
            m.register(base + ".p50.seconds", (Gauge<Double>) () -> kind.getValue().quantileSeconds(0.5));
            m.register(base + ".p99.seconds", (Gauge<Double>) () -> kind.getValue().quantileSeconds(0.99));
        }
    }

    private static void registerGauges(MetricRegistry m, AgentStats s, AgentService agent) {
        m.register("egressgateway.agent.passes", (Gauge<Long>) s::passes);
        m.register("egressgateway.agent.passes.failed", (Gauge<Long>) s::failedPasses);
        m.register("egressgateway.agent.operations.failed", (Gauge<Long>) s::failedOperations);
        m.register("egressgateway.agent.drift.repaired", (Gauge<Long>) s::driftRepaired);
        m.register("egressgateway.agent.conntrack.deleted", (Gauge<Long>) s::connectionsDeleted);
        m.register("egressgateway.agent.conntrack.delete.failed", (Gauge<Long>) s::connectionDeleteFailures);
        m.register("egressgateway.agent.pass.seconds", (Gauge<Double>) () -> s.lastPassNanos() / 1e9);
        m.register("egressgateway.agent.heartbeat.age.seconds", (Gauge<Double>) () -> agent.heartbeatAgeMillis() / 1e3);
        for (Kind k : Kind.values()) {
            m.register("egressgateway.agent.operations.applied." + k.name().toLowerCase(), (Gauge<Long>) () -> s.applied(k));
        }
    }
}
