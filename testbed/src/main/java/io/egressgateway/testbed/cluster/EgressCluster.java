package io.egressgateway.testbed.cluster;

import io.egressgateway.testbed.ManagedProcess;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.container.ContainerPod;
import io.egressgateway.testbed.kube.ApiProxy;
import io.egressgateway.testbed.kube.ControlPlane;
import io.egressgateway.testbed.kube.Identities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product on a testbed: the real controller and one real agent per node, each its own JVM running
 * the bootstrap's {@code Main} with its own service-account identity ({@link Identities}). The
 * controller runs in the control plane's namespace, where kube-apiserver calls its webhooks through
 * the Service and configurations of {@code deploy/webhooks.yaml}, applied before it starts as a user
 * would; each agent talks to the API server through the relay on 127.0.0.1 and does its datapath work
 * inside its node's namespace ({@code --netns}).
 */
public final class EgressCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EgressCluster.class);
    private static final String MAIN = "io.egressgateway.bootstrap.Main";

    private final Testbed testbed;
    private final Map<String, String> settings;
    private final Launch launch;
    private final Map<String, Integer> agentMetricsPorts = new HashMap<>();
    /** The controller's metrics listener in the control plane's namespace (its own, so a fixed port is free). */
    static final int CONTROLLER_METRICS_PORT = 9464;
    private final Map<String, ManagedProcess> agents = new LinkedHashMap<>();
    private final List<ApiProxy> proxies = new ArrayList<>();
    private ManagedProcess controller;
    private ContainerWorkloads containers;
    private ContainerPod controllerPod;
    private final Map<String, ContainerPod> agentPods = new LinkedHashMap<>();

    private EgressCluster(Testbed testbed, Map<String, String> settings, Launch launch) {
        this.testbed = testbed;
        this.settings = settings;
        this.launch = launch;
    }

    /**
     * How the product's JVMs are started. {@code agentListeners}: the agents open their metrics and
     * health listeners (on free ports of 127.0.0.1's namespace) as the DaemonSet does; the tests leave
     * them off, which saves ports and threads.
     */
    public record Launch(List<String> controllerJvm, List<String> agentJvm, boolean agentListeners, boolean inContainers) {
        public Launch {
            controllerJvm = List.copyOf(controllerJvm);
            agentJvm = List.copyOf(agentJvm);
        }

        public Launch(List<String> controllerJvm, List<String> agentJvm, boolean agentListeners) {
            this(controllerJvm, agentJvm, agentListeners, false);
        }

        /**
         * Container mode (docs/image.md): the controller and the agents from the image, run by podman
         * exactly as {@code deploy/egressgateway.yaml} gives them (command, JVM flags, security context,
         * environment, mounts, probes, memory limit); the JVM lists are unused.
         */
        public static Launch containers() {
            return new Launch(List.of(), List.of(), true, true);
        }

        /** What the E2E tests use: roomy heaps, no listeners. */
        public static Launch testing() {
            return new Launch(List.of("-Xmx256m"), List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1"),
                    false);
        }

        /**
         * The agent and the controller as production starts them: the flags of
         * {@code bin/agent-jvm-options} and {@code bin/controller-jvm-options} (which bin/egressgateway
         * reads too and the chart repeats) and the agents' metrics and health listeners on; the image's
         * class data sharing archive replaced by this machine's ({@link LocalCdsArchive}).
         */
        public static Launch production() {
            return new Launch(LocalCdsArchive.localize(AgentJvmOptions.controller(), "controller"),
                    LocalCdsArchive.localize(AgentJvmOptions.production(), "agent"), true);
        }

        /** {@link #production()} with extra JVM flags after production's (a benchmark's experiment). */
        public static Launch production(List<String> extraController, List<String> extraAgent) {
            Launch p = production();
            List<String> controller = new ArrayList<>(p.controllerJvm());
            controller.addAll(extraController);
            List<String> agent = new ArrayList<>(p.agentJvm());
            agent.addAll(extraAgent);
            return new Launch(controller, agent, true);
        }
    }

    /**
     * Starts the controller (and its webhook), then an agent on every node. {@code settings} are extra
     * configuration values as environment variables ({@code EGW_AGENT_RESYNCINTERVAL=2s}).
     */
    public static EgressCluster start(Testbed testbed, Map<String, String> settings) {
        return start(testbed, settings, Launch.testing());
    }

    /**
     * Only the controller (and its webhook); agents join with {@link #startAgent(String)}. For a run
     * that first writes many objects: the agents then start in a full cluster, as a DaemonSet does.
     */
    public static EgressCluster startController(Testbed testbed, Map<String, String> settings, Launch launch) {
        EgressCluster c = new EgressCluster(testbed, settings, launch);
        try {
            c.startController();
            return c;
        } catch (RuntimeException e) {
            String logs = c.logs(80);
            c.close();
            throw new IllegalStateException(e.getMessage() + "\n" + logs, e);
        }
    }

    /** As {@link #start(Testbed, Map)}, with the JVMs started as {@code launch} says. */
    public static EgressCluster start(Testbed testbed, Map<String, String> settings, Launch launch) {
        EgressCluster c = new EgressCluster(testbed, settings, launch);
        try {
            c.startController();
            for (String node : testbed.nodeNames()) {
                c.startAgent(node);
            }
            return c;
        } catch (RuntimeException e) {
            String logs = c.logs(80);
            c.close();
            throw new IllegalStateException(e.getMessage() + "\n" + logs, e);
        }
    }

    public Testbed testbed() {
        return testbed;
    }

    public ManagedProcess controller() {
        return controllerPod != null ? controllerPod.process() : controller;
    }

    public ManagedProcess agent(String node) {
        ContainerPod pod = agentPods.get(node);
        return pod != null ? pod.process() : agents.get(node);
    }

    /** Container mode: the controller's pod (its probes, restarts); null otherwise. */
    public ContainerPod controllerPod() {
        return controllerPod;
    }

    /** Container mode: the agent pod of {@code node}; null otherwise or when it is not running. */
    public ContainerPod agentPod(String node) {
        return agentPods.get(node);
    }

    /**
     * The controller's {@code /metrics} text, read inside the control plane's namespace where it
     * listens on 127.0.0.1:{@value #CONTROLLER_METRICS_PORT} (process mode only; fails when it does not answer).
     */
    public String controllerMetrics() {
        if (launch.inContainers()) {
            throw new IllegalStateException("controllerMetrics: process mode only");
        }
        return io.egressgateway.testbed.netns.ProcessRunner.runIn(testbed.controlPlane().netns(), List.of("curl", "-sSf",
                "--max-time", "10", "http://127.0.0.1:" + CONTROLLER_METRICS_PORT + "/metrics")).stdout();
    }

    /** The port of {@code node}'s agent's {@code /metrics} on 127.0.0.1, or 0 when its listeners are off. */
    public int agentMetricsPort(String node) {
        return agentMetricsPorts.getOrDefault(node, 0);
    }

    private void startController() {
        ControlPlane cp = testbed.controlPlane();
        Path yaml = ProjectPaths.find("deploy/webhooks.yaml");
        if (yaml == null) {
            throw new IllegalStateException("deploy/webhooks.yaml not found: cannot install the admission webhooks");
        }
        testbed.apply(yaml);
        cp.routeService(Identities.NAMESPACE, "egressgateway-webhook");
        if (launch.inContainers()) {
            if (containers == null) {
                containers = ContainerWorkloads.prepare(testbed, settings);
            }
            if (controllerPod != null) {
                controllerPod.close();
            }
            controllerPod = containers.startController();
            // As under kubelet, an exit or a failed liveness probe restarts the container: wait through
            // restarts, and say how many there were when the webhooks never come.
            try {
                Waits.until("the API server to reach the controller's webhooks (container " + controllerPod.name() + ")",
                        Duration.ofSeconds(150), () -> WebhookProbe.served(testbed.client()));
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "; the container was restarted " + controllerPod.restarts()
                        + " times (exits or failed liveness probes, see the log)", e);
            }
            LOG.info("testbed: controller container serves admission through deploy/webhooks.yaml");
            return;
        }
        Path ca = testbed.runDir().resolve("webhook-ca.pem");
        Map<String, String> env = env();
        env.put("EGW_PORTS_METRICS", Integer.toString(CONTROLLER_METRICS_PORT));
        env.put("EGW_PORTS_HEALTH", "0");
        env.put("EGW_WEBHOOK_CABUNDLEFILE", ca.toString());
        List<String> argv = java(launch.controllerJvm(), "--role=controller",
                "--kubeconfig=" + cp.identities().controller());
        controller = testbed.startProcessIn(cp.netns(), "controller", argv, env);
        Waits.until("the API server to reach the controller's webhooks", Duration.ofSeconds(90), () -> {
            assertAlive(controller);
            return Files.isRegularFile(ca) && Files.size(ca) > 0 && WebhookProbe.served(testbed.client());
        });
        LOG.info("testbed: controller serves admission through deploy/webhooks.yaml");
    }

    /** SIGTERM to the controller (a rollout, or a crash as the API server sees it: its webhooks stop answering). */
    public void stopController() {
        if (controllerPod != null) {
            controllerPod.stop(Duration.ofSeconds(10));
        }
        if (controller != null) {
            controller.stop(Duration.ofSeconds(10));
        }
    }

    /** Starts the controller again after {@link #stopController()}; returns once the API server reaches its webhooks. */
    public void restartController() {
        startController();
    }

    /** Starts (or restarts) the agent of {@code node}. */
    public ManagedProcess startAgent(String node) {
        if (launch.inContainers()) {
            ContainerPod old = agentPods.remove(node);
            if (old != null) {
                old.close();
            }
            ContainerPod pod = containers.startAgent(node);
            agentPods.put(node, pod);
            return pod.process();
        }
        ManagedProcess p = launchAgent(node, testbed.controlPlane().identities().agent(node, testbed.apiServerUrl()));
        agents.put(node, p);
        return p;
    }

    private ManagedProcess launchAgent(String node, Path kubeconfig) {
        Map<String, String> env = env();
        env.put("EGW_PORTS_WEBHOOK", "0");
        int metrics = launch.agentListeners() ? ListenerPorts.free() : 0;
        env.put("EGW_PORTS_METRICS", Integer.toString(metrics));
        env.put("EGW_PORTS_HEALTH", launch.agentListeners() ? Integer.toString(ListenerPorts.free()) : "0");
        agentMetricsPorts.put(node, metrics);
        // "{node}" in a flag names a file per agent (-XX:DumpLoadedClassList=/tmp/{node}.classlist)
        List<String> jvm = launch.agentJvm().stream().map(f -> f.replace("{node}", node)).toList();
        List<String> argv = java(jvm, "--role=agent",
                "--node-name=" + node, "--netns=" + testbed.nodeNetns(node), "--kubeconfig=" + kubeconfig);
        return testbed.startProcess("agent-" + node + "-" + System.nanoTime() % 100000, argv, env);
    }

    /**
     * Restarts the agent of {@code node} talking to the API server through its own {@link ApiProxy},
     * which the test can cut to take that node (only) off the API server.
     */
    public ApiProxy restartAgentBehindProxy(String node) {
        if (launch.inContainers()) {
            throw new UnsupportedOperationException("container mode: an agent reaches the API server through the"
                    + " kubernetes Service, not a private proxy; cut its node's link instead");
        }
        stopAgent(node);
        ApiProxy proxy = ApiProxy.start(testbed.controlPlane().port());
        proxies.add(proxy);
        agents.put(node, launchAgent(node, testbed.controlPlane().identities().agent(node, proxy.url())));
        return proxy;
    }

    /**
     * SIGKILL to the agent of {@code node}: a crash, or the node lost, as the controller sees it. Unlike
     * {@link #stopAgent(String)} the agent cannot mark its Lease "restarting" (docs/failover.md).
     */
    public void killAgent(String node) {
        ContainerPod pod = agentPods.remove(node);
        if (pod != null) {
            pod.kill();
            pod.close();
        }
        ManagedProcess p = agents.remove(node);
        if (p != null) {
            p.kill();
        }
    }

    /**
     * SIGTERM to the agent of {@code node} (it releases nothing in the kernel, and marks its Lease
     * "restarting": the controller waits interval + evictionTimeout for the next agent).
     */
    public void stopAgent(String node) {
        ContainerPod pod = agentPods.remove(node);
        if (pod != null) {
            pod.stop(Duration.ofSeconds(10));
            pod.close();
        }
        ManagedProcess p = agents.remove(node);
        if (p != null) {
            p.stop(Duration.ofSeconds(10));
        }
    }

    /** Every process's last log lines, for failure reports. */
    public String logs(int lines) {
        StringBuilder b = new StringBuilder();
        if (controllerPod != null) {
            b.append("--- controller container ").append(controllerPod.name()).append(" ready=").append(controllerPod.ready())
                    .append(" restarts=").append(controllerPod.restarts()).append(" (").append(controllerPod.process().logFile())
                    .append(")\n").append(controllerPod.process().logTail(lines)).append('\n');
        }
        agentPods.forEach((node, p) -> b.append("--- agent container ").append(p.name()).append(" ready=").append(p.ready())
                .append(" restarts=").append(p.restarts()).append(" (").append(p.process().logFile()).append(")\n")
                .append(p.process().logTail(lines)).append('\n'));
        if (controller != null) {
            b.append("--- controller (").append(controller.logFile()).append(")\n").append(controller.logTail(lines)).append('\n');
        }
        agents.forEach((node, p) -> b.append("--- agent ").append(node).append(" (").append(p.logFile()).append(")\n")
                .append(p.logTail(lines)).append('\n'));
        return b.toString();
    }

    private Map<String, String> env() {
        TestbedOptions o = testbed.options();
        Map<String, String> env = new HashMap<>();
        // No cluster.podCIDRs / serviceCIDRs: the controller detects them (the Nodes' podCIDRs, the
        // API server's ServiceCIDR objects), as in a default install.
        env.put("EGW_ENABLEIPV6", Boolean.toString(o.dualStack()));
        env.put("EGW_IPTABLES_BACKEND", o.backend().name().toLowerCase());
        env.putAll(settings);
        return env;
    }

    private static List<String> java(List<String> jvmOptions, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classpath());
        argv.add(MAIN);
        argv.addAll(List.of(args));
        return argv;
    }

    /** The bootstrap jar with its lib/ when built, else this JVM's own class path (tests). */
    private static String classpath() {
        Path jar = ProjectPaths.find("bootstrap/target/egressgateway.jar");
        if (jar != null && Files.isRegularFile(jar)) {
            return jar.toString();
        }
        return System.getProperty("java.class.path");
    }

    private static void assertAlive(ManagedProcess p) {
        if (!p.isAlive()) {
            throw new IllegalStateException(p.name() + " exited; its log (" + p.logFile() + ") ends with:\n" + p.logTail(40));
        }
    }

    @Override
    public void close() {
        agents.keySet().stream().toList().forEach(this::stopAgent);
        agentPods.keySet().stream().toList().forEach(this::stopAgent);
        if (controllerPod != null) {
            controllerPod.close();
        }
        if (controller != null) {
            controller.stop(Duration.ofSeconds(10));
        }
        proxies.forEach(ApiProxy::close);
    }
}
