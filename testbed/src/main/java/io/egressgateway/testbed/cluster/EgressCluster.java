package io.egressgateway.testbed.cluster;

import io.egressgateway.testbed.ManagedProcess;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
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
 * the bootstrap's {@code Main}, talking to the embedded API server over 127.0.0.1; each agent does its
 * datapath work inside its node's namespace ({@code --netns}). The controller's admission webhook is
 * installed into the API server once the controller has published its CA, so writes made afterwards
 * go through validation and defaulting as in a real cluster.
 */
public final class EgressCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EgressCluster.class);
    private static final String MAIN = "io.egressgateway.bootstrap.Main";

    private final Testbed testbed;
    private final Map<String, String> settings;
    private final Launch launch;
    private final Map<String, Integer> agentMetricsPorts = new HashMap<>();
    private final Map<String, ManagedProcess> agents = new LinkedHashMap<>();
    private final List<ApiProxy> proxies = new ArrayList<>();
    private ManagedProcess controller;
    private int webhookPort;

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
    public record Launch(List<String> controllerJvm, List<String> agentJvm, boolean agentListeners) {
        public Launch {
            controllerJvm = List.copyOf(controllerJvm);
            agentJvm = List.copyOf(agentJvm);
        }

        /** What the E2E tests use: roomy heaps, no listeners. */
        public static Launch testing() {
            return new Launch(List.of("-Xmx256m"), List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1"),
                    false);
        }

        /**
         * The agent as production starts it: the flags of {@code bin/agent-jvm-options} (which
         * bin/egressgateway reads too) and its metrics and health listeners on.
         */
        public static Launch production() {
            return new Launch(List.of("-Xmx256m"), AgentJvmOptions.production(), true);
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
        return controller;
    }

    public ManagedProcess agent(String node) {
        return agents.get(node);
    }

    /** The port of {@code node}'s agent's {@code /metrics} on 127.0.0.1, or 0 when its listeners are off. */
    public int agentMetricsPort(String node) {
        return agentMetricsPorts.getOrDefault(node, 0);
    }

    private void startController() {
        webhookPort = freePort();
        Path ca = testbed.runDir().resolve("webhook-ca.pem");
        Map<String, String> env = env();
        env.put("EGW_PORTS_WEBHOOK", Integer.toString(webhookPort));
        env.put("EGW_PORTS_METRICS", "0");
        env.put("EGW_PORTS_HEALTH", "0");
        env.put("EGW_WEBHOOK_CABUNDLEFILE", ca.toString());
        // The embedded API server authenticates nobody: every client is "testbed-admin" (docs/testbed.md).
        env.put("EGW_WEBHOOK_CONTROLLERUSER", "testbed-admin");
        List<String> argv = java(launch.controllerJvm(), "--role=controller", "--kubeconfig=" + testbed.kubeconfig());
        controller = testbed.startProcess("controller", argv, env);
        Waits.until("the controller's webhook CA in " + ca, Duration.ofSeconds(60), () -> {
            assertAlive(controller);
            return Files.isRegularFile(ca) && Files.size(ca) > 0 && listening(webhookPort);
        });
        Path yaml = ProjectPaths.find("deploy/webhooks.yaml");
        if (yaml == null) {
            throw new IllegalStateException("deploy/webhooks.yaml not found: cannot install the admission webhooks");
        }
        try {
            List<String> hooks = testbed.apiServer().installWebhooks(yaml, URI.create("https://127.0.0.1:" + webhookPort),
                    Files.readString(ca));
            LOG.info("testbed: admission webhooks installed: {}", hooks);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + ca + ": " + e.getMessage(), e);
        }
    }

    /** Starts (or restarts) the agent of {@code node}. */
    public ManagedProcess startAgent(String node) {
        ManagedProcess p = launchAgent(node, testbed.kubeconfig());
        agents.put(node, p);
        return p;
    }

    private ManagedProcess launchAgent(String node, Path kubeconfig) {
        Map<String, String> env = env();
        env.put("EGW_PORTS_WEBHOOK", "0");
        int metrics = launch.agentListeners() ? freePort() : 0;
        env.put("EGW_PORTS_METRICS", Integer.toString(metrics));
        env.put("EGW_PORTS_HEALTH", launch.agentListeners() ? Integer.toString(freePort()) : "0");
        agentMetricsPorts.put(node, metrics);
        List<String> argv = java(launch.agentJvm(), "--role=agent",
                "--node-name=" + node, "--netns=" + testbed.nodeNetns(node), "--kubeconfig=" + kubeconfig);
        return testbed.startProcess("agent-" + node + "-" + System.nanoTime() % 100000, argv, env);
    }

    /**
     * Restarts the agent of {@code node} talking to the API server through its own {@link ApiProxy},
     * which the test can cut to take that node (only) off the API server.
     */
    public ApiProxy restartAgentBehindProxy(String node) {
        stopAgent(node);
        ApiProxy proxy = ApiProxy.start(testbed.apiServer().port());
        proxies.add(proxy);
        try {
            String kubeconfig = Files.readString(testbed.kubeconfig()).replace(testbed.apiServerUrl(), proxy.url());
            Path file = testbed.runDir().resolve("kubeconfig-" + node + "-proxied");
            Files.writeString(file, kubeconfig);
            agents.put(node, launchAgent(node, file));
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a proxied kubeconfig: " + e.getMessage(), e);
        }
    }

    /** SIGTERM to the agent of {@code node} (it releases nothing in the kernel). */
    public void stopAgent(String node) {
        ManagedProcess p = agents.remove(node);
        if (p != null) {
            p.stop(Duration.ofSeconds(10));
        }
    }

    /** Every process's last log lines, for failure reports. */
    public String logs(int lines) {
        StringBuilder b = new StringBuilder();
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
        env.put("EGW_CLUSTER_PODCIDRS", o.dualStack() ? "10.244.0.0/16,fd00:10:244::/56" : "10.244.0.0/16");
        env.put("EGW_CLUSTER_SERVICECIDRS", o.dualStack() ? "10.96.0.0/12,fd00:10:96::/112" : "10.96.0.0/12");
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

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        agents.keySet().stream().toList().forEach(this::stopAgent);
        if (controller != null) {
            controller.stop(Duration.ofSeconds(10));
        }
        proxies.forEach(ApiProxy::close);
    }
}
