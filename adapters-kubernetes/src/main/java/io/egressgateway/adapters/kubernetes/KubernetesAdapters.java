package io.egressgateway.adapters.kubernetes;

import io.egressgateway.application.port.out.HoldGatewayDeletionPort;

import io.egressgateway.application.port.out.RecordEventPort;

import io.egressgateway.application.port.out.UpdateEndpointSlicesPort;

import io.egressgateway.application.port.out.UpdateStatusesPort;

import io.egressgateway.application.port.out.UpdateEgressNodesPort;

import io.egressgateway.application.config.Settings;
import io.egressgateway.application.controller.ControllerLoop;
import io.egressgateway.application.lifecycle.ReadinessCheck;
import io.egressgateway.application.controller.ControllerReconciler;
import io.egressgateway.application.controller.ControllerStats;
import io.egressgateway.application.lifecycle.Service;
import io.egressgateway.application.port.out.PublishCaBundlePort;
import io.egressgateway.application.port.out.ReadClusterResourcesPort;
import io.egressgateway.application.port.out.RenewHeartbeatPort;
import io.egressgateway.application.port.out.StoreWebhookCaPort;
import io.egressgateway.application.port.out.UpdateOwnEgressNodePort;
import io.egressgateway.application.port.out.WatchAgentStatePort;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one public, Guice-free entry to this adapter: connect (or wrap a client), then take the ports
 * and services a role needs. Each port getter returns a new adapter; informer-backed ones must be
 * started (agent: {@link WatchAgentStatePort#start}; admission: {@link #clusterResourcesService()}).
 * {@link #close()} closes the client when this factory created it.
 */
public final class KubernetesAdapters implements AutoCloseable {
    private final KubernetesClient client;
    private final boolean ownsClient;
    private final Settings settings;
    private final Clock clock;
    private final ControllerStats controllerStats = new ControllerStats();
    private KubernetesClusterResourcesAdapter clusterResources;
    private KubernetesCaBundleAdapter caBundle;
    /** The controller's events, off its loop (one writer for every term of this process). */
    private final QueuedEvents events;

    private KubernetesAdapters(KubernetesClient client, boolean ownsClient, Settings settings, Clock clock) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.clock = clock;
        this.events = new QueuedEvents(new KubernetesEventsAdapter(client, clock), QueuedEvents.CAPACITY);
    }

    private volatile ControllerLoop currentTerm;

    /**
     * Connects with the JDK HTTP client: the given kubeconfig file, or else the usual discovery
     * (in-cluster service account, $KUBECONFIG, ~/.kube/config).
     */
    public static KubernetesAdapters connect(Optional<Path> kubeconfig, Settings settings) {
        KubernetesSerialization serialization = KindMapping.serialization();
        Config config;
        if (kubeconfig.isPresent()) {
            try {
                config = KindMapping.kubeconfig(Files.readString(kubeconfig.get()), serialization);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig.get(), e);
            }
        } else {
            config = Config.autoConfigure(null);
        }
        return new KubernetesAdapters(client(config, serialization), true, settings, Clock.systemUTC());
    }

    private static KubernetesClient client(Config config, KubernetesSerialization serialization) {
        return ClientThreads.builder().withConfig(config).withKubernetesSerialization(serialization).build();
    }

    /**
     * {@code egressgateway ctl}: connects as the user, never with a pod's service account: the given
     * kubeconfig, or else {@code $KUBECONFIG}, or else {@code ~/.kube/config}, with {@code context}
     * (or the file's current context). Fails when there is no kubeconfig at all.
     */
    public static KubernetesAdapters connectAsUser(Optional<Path> kubeconfig, Optional<String> context, Settings settings) {
        Config config;
        if (kubeconfig.isPresent()) {
            if (!Files.isReadable(kubeconfig.get())) {
                throw new IllegalArgumentException("kubeconfig " + kubeconfig.get() + " does not exist or is not readable");
            }
            config = Config.fromKubeconfig(context.orElse(null), kubeconfig.get().toFile());
        } else {
            String env = System.getenv("KUBECONFIG");
            Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
            if ((env == null || env.isBlank()) && !Files.isReadable(home)) {
                throw new IllegalArgumentException("no kubeconfig: give --kubeconfig, set KUBECONFIG, or create " + home
                        + " (ctl never uses a pod's service account)");
            }
            System.setProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
            config = Config.autoConfigure(context.orElse(null));
        }
        return new KubernetesAdapters(client(config, KindMapping.serialization()), true, settings, Clock.systemUTC());
    }

    /** ctl: one read of gateways, policies, nodes, EgressNodes, heartbeat Leases, the cluster info; pods by name. */
    public io.egressgateway.application.port.out.ReadEgressStatePort readEgressState() {
        return new KubernetesCtlAdapter(client, settings.namespace());
    }

    /** ctl: writes a gateway's EIP move annotation (admission validates it). */
    public io.egressgateway.application.port.out.RequestEipMovePort requestEipMove() {
        return new KubernetesCtlAdapter(client, settings.namespace());
    }

    /** Wraps a client the caller owns (tests, the testbed); {@link #close()} leaves it open. */
    public static KubernetesAdapters from(KubernetesClient client, Settings settings) {
        return from(client, settings, Clock.systemUTC());
    }

    /** Same, with a clock (tests move time to drive heartbeat timeouts). */
    public static KubernetesAdapters from(KubernetesClient client, Settings settings, Clock clock) {
        return new KubernetesAdapters(client, false, settings, clock);
    }

    /** Agent: informers on EgressNodes, gateways, policies, slices and EgressClusterInfo/default. */
    public WatchAgentStatePort watchAgentState() {
        return new KubernetesAgentStateAdapter(client);
    }

    /** Agent: its own EgressNode's agent-owned status fields, and programmed generations on its Lease. */
    public UpdateOwnEgressNodePort updateOwnEgressNode() {
        return new KubernetesOwnEgressNodeAdapter(client, settings.namespace(), clock);
    }

    /** Agent: renews Lease {@code egress-node-<node>} in {@code settings.namespace()}. */
    public RenewHeartbeatPort renewHeartbeat() {
        return new KubernetesHeartbeatAdapter(client, settings.namespace(), settings.heartbeat().evictionTimeout(),
                clock);
    }

    /**
     * Agent: whether the API server answers this process right now ({@code GET /version}, which every
     * authenticated identity may read), given up after the timeout.
     */
    public io.egressgateway.application.port.out.ApiReachabilityPort apiReachability() {
        // its own thread: the common pool has one thread on a 2-CPU node, and whatever else queued
        // there would make every probe time out (the API server judged unreachable when it is fine)
        java.util.concurrent.ExecutorService probes = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "api-probe");
            t.setDaemon(true);
            return t;
        });
        return timeout -> {
            java.util.concurrent.Future<Boolean> f = probes.submit(() -> client.getKubernetesVersion() != null);
            try {
                return f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                f.cancel(true);
                org.slf4j.LoggerFactory.getLogger(KubernetesAdapters.class).debug("API server probe failed: {}",
                        e.toString());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    /**
     * Controller: writes the webhook's CA into the caBundle of the project's webhook configurations,
     * and again whenever they lack it while {@link #caBundleService()} runs. One per factory.
     */
    public synchronized PublishCaBundlePort publishCaBundle() {
        return caBundle();
    }

    /** Watches the two webhook configurations by name and re-publishes the last CA bundle they lack. */
    public synchronized Service caBundleService() {
        return caBundle();
    }

    private KubernetesCaBundleAdapter caBundle() {
        if (caBundle == null) {
            caBundle = new KubernetesCaBundleAdapter(client);
        }
        return caBundle;
    }

    /** Controller: the webhook CA in Secret {@code egressgateway-webhook-ca} of {@code settings.namespace()}. */
    public StoreWebhookCaPort storeWebhookCa() {
        return new KubernetesWebhookCaSecretAdapter(client, settings.namespace());
    }

    /** Controller (creates) and agents (read): the witness key in Secret {@code egressgateway-witness-key}. */
    public io.egressgateway.application.port.out.WitnessKeyPort witnessKey() {
        return new KubernetesWitnessKeyAdapter(client, settings.namespace());
    }

    /** Admission: gateways and policies; backed by informers once {@link #clusterResourcesService()} started. */
    public synchronized ReadClusterResourcesPort readClusterResources() {
        return clusterResources();
    }

    /** Starts (and waits for the sync of) the informers behind {@link #readClusterResources()}. */
    public synchronized Service clusterResourcesService() {
        return clusterResources();
    }

    private KubernetesClusterResourcesAdapter clusterResources() {
        if (clusterResources == null) {
            clusterResources = new KubernetesClusterResourcesAdapter(client, Duration.ofSeconds(60));
        }
        return clusterResources;
    }

    /**
     * Controller: the services bootstrap starts (in order) and stops (in reverse). One service: leader
     * election on the Lease {@code egressgateway-controller} in {@code settings.namespace()}; while
     * this replica leads it runs the informers, the coalescing queue and the reconcile pass.
     * {@code identity} must differ between replicas (the pod name).
     */
    public List<Service> controller(String identity) {
        return controller(identity, KubernetesLeaderElectionAdapter.Timings.defaults());
    }

    List<Service> controller(String identity, KubernetesLeaderElectionAdapter.Timings timings) {
        return List.of(new KubernetesLeaderElectionAdapter(client, settings.namespace(), identity, timings,
                this::controllerTerm));
    }

    /** The controller's gauges (every term writes the same object). */
    public ControllerStats controllerStats() {
        return controllerStats;
    }

    /** The controller without leader election: one term, for tests and single-replica tools. */
    ControllerLoop controllerTerm() {
        var watch = new KubernetesControllerStateAdapter(client, settings.namespace());
        ControllerLoop[] self = new ControllerLoop[1];
        java.util.function.BooleanSupplier active = () -> self[0] != null && self[0].active();
        var reconciler = new ControllerReconciler(settings, clock, watch,
                TermGuard.guard(UpdateEgressNodesPort.class, new KubernetesEgressNodesAdapter(client), active),
                TermGuard.guard(UpdateStatusesPort.class, new KubernetesStatusesAdapter(client, watch::cachedPolicy), active),
                TermGuard.guard(UpdateEndpointSlicesPort.class, new KubernetesEndpointSlicesAdapter(client, watch::cachedSlice), active),
                TermGuard.guard(RecordEventPort.class, events.forTerm(active), active),
                TermGuard.guard(HoldGatewayDeletionPort.class, new KubernetesGatewayDeletionAdapter(client), active),
                controllerStats);
        Duration tick = settings.heartbeat().gatewayInterval().dividedBy(2);
        ControllerLoop loop = new ControllerLoop(watch, reconciler, settings.agent().coalesceInterval(),
                tick.isZero() ? Duration.ofMillis(500) : tick, controllerStats);
        self[0] = loop;
        currentTerm = loop;
        return loop;
    }

    /**
     * Liveness of the controller role: while this replica leads, its loop must keep completing passes
     * (a stuck loop fails after {@code stuckAfter}); a standby replica is alive.
     */
    public ReadinessCheck controllerLiveness(Duration stuckAfter) {
        return () -> {
            ControllerLoop l = currentTerm;
            return l == null ? ReadinessCheck.Result.ok("standby") : l.liveness(stuckAfter);
        };
    }

    /**
     * Readiness of the controller role: admission's gateway/policy caches have synced and, while this
     * replica leads, so have the controller's informers.
     */
    public ReadinessCheck controllerReadiness() {
        return () -> {
            KubernetesClusterResourcesAdapter cr;
            synchronized (this) {
                cr = clusterResources;
            }
            if (cr == null || !cr.synced()) {
                return ReadinessCheck.Result.failing("admission caches (gateways, policies) not synced");
            }
            ControllerLoop l = currentTerm;
            if (l != null && l.running() && !l.synced()) {
                return ReadinessCheck.Result.failing("leading, controller caches not synced yet");
            }
            return ReadinessCheck.Result.ok(l != null && l.running() ? "leading, caches synced" : "standby, admission caches synced");
        };
    }

    @Override
    public void close() {
        events.close();
        if (ownsClient) {
            client.close();
        }
    }

    KubernetesClient client() {
        return client;
    }

    Settings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }
}
