package io.egressgateway.testbed;

import io.egressgateway.testbed.container.Podman;
import io.egressgateway.testbed.echo.EchoServer;
import io.egressgateway.testbed.kube.ControlPlane;
import io.egressgateway.testbed.kube.KubeTools;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.egressgateway.testbed.netns.RunRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole cluster on this machine: nodes, pods and an external host as network namespaces named
 * {@code egw-<6 random>-...}, a real Kubernetes control plane (etcd, kube-apiserver,
 * kube-controller-manager in namespace {@code egw-...-cp}, see {@link ControlPlane}) holding matching
 * Node and Pod objects and the project's CRDs and RBAC from {@code deploy/}, and an echo server on the
 * external host. {@link #close()} removes all of it, also when the build failed
 * half way and, through a shutdown hook, on Ctrl-C; a crashed run's namespaces are removed by the
 * next {@link #build}. Needs root (CAP_NET_ADMIN).
 */
public final class Testbed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Testbed.class);

    private final TestbedOptions options;
    private final RunRegistry registry;
    private final String prefix;
    private final Topology topology;
    private final Path runDir;
    private final AutoCloseable exclusiveLock;
    private final Map<String, PodHandle> pods = new LinkedHashMap<>();
    private final List<ManagedProcess> processes = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;
    private ControlPlane cp;
    private EchoServer echo;
    private Path kubeconfig;
    private boolean closed;
    private volatile String kubernetesService;

    private Testbed(TestbedOptions options, RunRegistry registry, String prefix, AutoCloseable exclusiveLock) {
        this.options = options;
        this.registry = registry;
        this.prefix = prefix;
        this.exclusiveLock = exclusiveLock;
        this.topology = new Topology(prefix, options);
        this.runDir = registry.runDir(prefix);
        this.shutdownHook = new Thread(this::closeFromHook, "testbed-teardown-" + prefix);
    }

    /**
     * Builds the testbed described by {@code options}. Removes leftovers of crashed runs first.
     *
     * @throws IllegalStateException when not root, or when {@code options.exclusive()} and another exclusive
     *                               testbed runs, or when the API port is in use; nothing is left behind then
     */
    public static Testbed build(TestbedOptions options) {
        requireRoot();
        RunRegistry registry = new RunRegistry(options.stateDir());
        List<String> leftovers = registry.removeLeftovers();
        if (!leftovers.isEmpty()) {
            LOG.info("testbed: removed {} namespaces of crashed runs: {}", leftovers.size(), leftovers);
        }
        List<String> orphanRuns = Podman.removeOrphans(registry::isLive);
        if (!orphanRuns.isEmpty()) {
            LOG.info("testbed: removed the containers of crashed runs: {}", orphanRuns);
        }
        AutoCloseable lock = null;
        if (options.exclusive()) {
            lock = registry.tryExclusive("sandbox").orElseThrow(() -> new IllegalStateException(
                    "another sandbox is running (pid " + registry.holderOf("sandbox") + "); stop it (Ctrl-C) or wait"
                            + " for it to end; it was left untouched"));
        }
        String prefix = registry.newPrefix();
        registry.claim(prefix);
        Testbed tb = new Testbed(options, registry, prefix, lock);
        Runtime.getRuntime().addShutdownHook(tb.shutdownHook);
        try {
            tb.start();
            return tb;
        } catch (RuntimeException | Error e) {
            LOG.warn("testbed: build failed prefix={}; tearing down what was built: {}", prefix, e.toString());
            tb.close();
            throw e;
        }
    }

    private void start() {
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + runDir + ": " + e.getMessage(), e);
        }
        KubeTools tools = KubeTools.locate();
        topology.buildControlPlane();
        // kube-apiserver takes seconds to start: overlap it with the namespaces.
        CompletableFuture<Void> apiReady = CompletableFuture.runAsync(() -> {
            cp = ControlPlane.start(topology.controlPlane(), runDir.resolve("control-plane"), tools,
                    (name, argv, env) -> startProcessIn(topology.controlPlane(), name, argv, env),
                    serviceCidrs(), options.apiPort());
            kubeconfig = cp.adminKubeconfig();
            installApiObjects();
        });
        topology.build();
        for (TestbedOptions.PodSpec p : options.pods()) {
            int k = topology.podIndex(p);
            pods.put(p.name(), new PodHandle(p, topology.pod(p.name()), Addressing.podV4(p.node(), k),
                    options.dualStack() ? Addressing.podV6(p.node(), k) : null));
        }
        try {
            echo = EchoServer.start(topology.external(), options.echoPort());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the echo server on port " + options.echoPort() + ": " + e, e);
        }
        try {
            apiReady.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        ClusterObjects.create(cp.client(), options, topology);
        LOG.info("testbed: ready prefix={} iptables={} kube-apiserver={} api={} kubeconfig={}", prefix,
                options.backend().name().toLowerCase(), cp.version(), cp.url(), kubeconfig);
    }

    /** The Service CIDRs of the control plane (and so of the product's cluster settings). */
    public List<String> serviceCidrs() {
        return options.dualStack() ? List.of(Addressing.SERVICE_CIDR_V4, Addressing.SERVICE_CIDR_V6)
                : List.of(Addressing.SERVICE_CIDR_V4);
    }

    /**
     * What a user applies before starting the product, with the built kubectl: the CRDs of
     * {@code options.crdDir()} (waited for until Established), then every other manifest of
     * {@code deploy/} but the workloads ({@code egressgateway.yaml}, which needs a kubelet) and the
     * webhook configurations (applied when the controller starts, see EgressCluster).
     */
    private void installApiObjects() {
        if (options.crdDir() == null || !Files.isDirectory(options.crdDir())) {
            LOG.warn("testbed: no CRD directory ({}); no custom resources installed", options.crdDir());
            return;
        }
        apply(options.crdDir());
        cp.kubectl("wait", "--for=condition=Established", "--timeout=60s", "-f", options.crdDir().toString()).orThrow();
        Path deploy = ProjectPaths.find("deploy");
        if (deploy == null || !options.crdDir().startsWith(deploy)) {
            return;
        }
        try (var files = Files.list(deploy)) {
            files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("egressgateway.yaml"))
                    .filter(f -> !f.getFileName().toString().equals("webhooks.yaml"))
                    .sorted(java.util.Comparator.comparing((Path f) -> !f.getFileName().toString().equals("rbac.yaml"))
                            .thenComparing(Path::toString))
                    .forEach(this::apply);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + deploy + ": " + e.getMessage(), e);
        }
    }

    /** {@code kubectl apply -f file} as the admin; throws with kubectl's message when it fails. */
    public void apply(Path file) {
        ProcessRunner.Result r = cp.kubectl("apply", "-f", file.toString());
        if (!r.ok()) {
            throw new IllegalStateException("kubectl apply -f " + file + " failed: " + r.stderr().strip());
        }
        LOG.info("testbed: kubectl apply -f {}: {}", file, r.stdout().strip().replace('\n', ';'));
    }

    private static void requireRoot() {
        ProcessRunner.Result id = ProcessRunner.tryRun(List.of("id", "-u"), Duration.ofSeconds(5));
        if (!id.ok() || !id.stdout().trim().equals("0")) {
            throw new IllegalStateException("the testbed needs root (CAP_NET_ADMIN) to create network namespaces;"
                    + " run it as root (e.g. with sudo)");
        }
    }

    /** The per-run name prefix {@code egw-<6 random>-} of every namespace of this run. */
    public String prefix() {
        return prefix;
    }

    public TestbedOptions options() {
        return options;
    }

    /** The control plane (kube-apiserver, etcd, kube-controller-manager, kubectl, identities). */
    public ControlPlane controlPlane() {
        return cp;
    }

    public String apiServerUrl() {
        return cp.url();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A client of the API server as the testbed's admin (closed by {@link #close()}). */
    public KubernetesClient client() {
        return cp.client();
    }

    /** Where this run's kubeconfig and process logs live (removed on close). */
    public Path runDir() {
        return runDir;
    }

    /** Kubernetes names of the nodes: {@code node1..nodeN}. */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= options.nodes(); i++) {
            names.add("node" + i);
        }
        return names;
    }

    /** Network namespace of node {@code node} ({@code node<i>}). */
    public String nodeNetns(String node) {
        return topology.node(nodeIndex(node));
    }

    /** Underlay IPv4 address of node {@code node} (192.0.2.(10+i)). */
    public String nodeAddress(String node) {
        return Addressing.nodeV4(nodeIndex(node));
    }

    public String nodeAddressV6(String node) {
        return Addressing.nodeV6(nodeIndex(node));
    }

    public String externalNetns() {
        return topology.external();
    }

    public String fabricNetns() {
        return topology.fabric();
    }

    /** 192.0.2.100, where the echo server listens. */
    public String externalAddress() {
        return Addressing.EXTERNAL_V4;
    }

    public String externalAddressV6() {
        return Addressing.EXTERNAL_V6;
    }

    /** A second address of the external host outside the underlay (198.51.100.100), for destCIDR tests. */
    public String externalExtraAddress() {
        return Addressing.EXTERNAL_EXTRA_V4;
    }

    public int echoPort() {
        return echo.port();
    }

    public PodHandle pod(String name) {
        PodHandle p;
        synchronized (pods) {
            p = pods.get(name);
        }
        if (p == null) {
            throw new IllegalArgumentException("no pod named \"" + name + "\" in this testbed; pods: " + pods.keySet());
        }
        return p;
    }

    public List<PodHandle> pods() {
        synchronized (pods) {
            return List.copyOf(pods.values());
        }
    }

    /**
     * Adds a pod while the testbed runs, as kubelet and the CNI would: its namespace and veth on its
     * node, the next free addresses of that node, and its Pod object (created unless it exists, e.g.
     * written by a user with kubectl) with the status kubelet reports.
     */
    public PodHandle addPod(TestbedOptions.PodSpec spec) {
        synchronized (pods) {
            if (pods.containsKey(spec.name())) {
                throw new IllegalArgumentException("a pod named \"" + spec.name() + "\" exists already");
            }
            nodeIndex("node" + spec.node());
            int k = (int) pods.values().stream().filter(p -> p.node().equals("node" + spec.node())).count();
            topology.buildPod(spec, k);
            PodHandle h = new PodHandle(spec, topology.pod(spec.name()), Addressing.podV4(spec.node(), k),
                    options.dualStack() ? Addressing.podV6(spec.node(), k) : null);
            pods.put(spec.name(), h);
            ClusterObjects.createOrReport(cp.client(), spec, k, options);
            LOG.info("testbed: pod added name={}/{} node=node{} ipv4={}", spec.namespace(), spec.name(), spec.node(),
                    h.ipv4());
            return h;
        }
    }

    /** Runs {@code argv} inside network namespace {@code netns}; throws with stderr when it fails. */
    public ProcessRunner.Result exec(String netns, String... argv) {
        return ProcessRunner.runIn(netns, List.of(argv));
    }

    /** Like {@link #exec} but returns the result whatever the exit code. */
    public ProcessRunner.Result tryExec(String netns, List<String> argv) {
        return ProcessRunner.tryRun(ProcessRunner.inNetns(netns, argv), Duration.ofSeconds(30));
    }

    /** Cuts ({@code up=false}) or restores node {@code node}'s underlay link, at the bridge port. */
    public void setUnderlayLink(String node, boolean up) {
        ProcessRunner.run(List.of("ip", "-n", topology.fabric(), "link", "set", "node" + nodeIndex(node),
                up ? "up" : "down"));
    }

    /**
     * Sets node {@code node}'s Ready condition as kubelet would report it (True/False), e.g. to
     * make the controller move EIPs away without stopping anything.
     */
    public void setNodeReady(String node, boolean ready) {
        nodeIndex(node);
        String now = java.time.Instant.now().toString();
        cp.client().nodes().withName(node).editStatus(n -> {
            n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).forEach(c -> {
                c.setStatus(ready ? "True" : "False");
                c.setReason(ready ? "KubeletReady" : "KubeletNotReady");
                c.setLastHeartbeatTime(now);
                c.setLastTransitionTime(now);
            });
            return n;
        });
    }

    /** kubectl command lines a person can paste to explore this testbed (the built kubectl, the admin's kubeconfig). */
    public List<String> kubectlCommands() {
        String k = cp.tools().kubectl() + " --kubeconfig " + kubeconfig;
        return List.of(
                k + " get nodes -o wide --show-labels",
                k + " get pods -A -o wide",
                k + " get egressgateways,egressgatewaypolicies,egressnodes",
                k + " apply -f <file.yaml>");
    }

    /**
     * Container mode: makes the API server reachable from every node the way a cluster does, and
     * returns the {@code kubernetes} Service's {@code host:port} (what kubelet puts in
     * KUBERNETES_SERVICE_HOST/PORT). The control plane's namespace joins the underlay at
     * {@link Addressing#CONTROL_PLANE_V4}, its ClusterIP is served there (as for the webhook's Service),
     * and every node gets kube-proxy's rule for it: ClusterIP:443 DNAT to that endpoint.
     */
    public synchronized String exposeApiServerToNodes() {
        if (kubernetesService != null) {
            return kubernetesService;
        }
        io.fabric8.kubernetes.api.model.Service svc = cp.client().services().inNamespace("default").withName("kubernetes").get();
        if (svc == null || svc.getSpec().getClusterIP() == null) {
            throw new IllegalStateException("the API server has no Service default/kubernetes with a ClusterIP");
        }
        String ip = svc.getSpec().getClusterIP();
        int port = svc.getSpec().getPorts().get(0).getPort();
        topology.uplinkControlPlane();
        cp.routeService("default", "kubernetes");
        for (String node : nodeNames()) {
            ProcessRunner.runIn(nodeNetns(node), List.of(options.backend().iptables(false), "-w", "-t", "nat", "-A",
                    "OUTPUT", "-d", ip + "/32", "-p", "tcp", "--dport", Integer.toString(port), "-j", "DNAT",
                    "--to-destination", Addressing.CONTROL_PLANE_V4 + ":" + ControlPlane.API_PORT));
        }
        kubernetesService = ip + ":" + port;
        LOG.info("testbed: nodes reach the API server at Service kubernetes {} -> {}:{}", kubernetesService,
                Addressing.CONTROL_PLANE_V4, ControlPlane.API_PORT);
        return kubernetesService;
    }

    /** The control plane's underlay address (container mode), where the controller's pod IP is. */
    public String controlPlaneAddress() {
        return Addressing.CONTROL_PLANE_V4;
    }

    /** Makes the external host route the pod CIDRs to their nodes (the mode-None case). */
    public void routePodCidrsFromExternal() {
        topology.routePodCidrsFromExternal();
    }

    /** Everything of node {@code node}'s datapath, as text for a failure report. */
    public String dumpDatapath(String node) {
        return DatapathDump.of(topology.node(nodeIndex(node)), options.backend(), options.dualStack());
    }

    /** {@link #dumpDatapath} of every node, plus the tail of every managed process's log. */
    public String dumpAll() {
        StringBuilder b = new StringBuilder();
        nodeNames().forEach(n -> b.append("######## ").append(n).append('\n').append(dumpDatapath(n)));
        for (ManagedProcess p : processes) {
            b.append("######## log of ").append(p.name()).append(" (").append(p.logFile()).append(")\n")
                    .append(p.logTail(60)).append('\n');
        }
        return b.toString();
    }

    /**
     * Starts {@code argv} in the machine's own namespace (where the API server is reachable on
     * 127.0.0.1; an agent then enters its node's namespace itself, see {@code --netns}). Output goes
     * to {@code <runDir>/<name>.log}. Stopped on {@link #close()} if still running.
     */
    public ManagedProcess startProcess(String name, List<String> argv, Map<String, String> env) {
        ManagedProcess p = ManagedProcess.start(name, argv, env, runDir.resolve(name + ".log"));
        processes.add(p);
        registry.recordChild(prefix, p.pid());
        return p;
    }

    /** Like {@link #startProcess} but inside network namespace {@code netns} ({@code ip netns exec}). */
    public ManagedProcess startProcessIn(String netns, String name, List<String> argv, Map<String, String> env) {
        return startProcess(name, ProcessRunner.inNetns(netns, argv), env);
    }

    private int nodeIndex(String node) {
        if (node != null && node.matches("node[1-9][0-9]*")) {
            int i = Integer.parseInt(node.substring(4));
            if (i <= options.nodes()) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node named \"" + node + "\"; nodes: " + nodeNames());
    }

    private void closeFromHook() {
        LOG.warn("testbed: JVM shutting down; tearing down prefix={}", prefix);
        teardown();
    }

    /** Stops the processes, the echo and API servers, removes every namespace of this run and its records. */
    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is what is running us
        }
    }

    private synchronized void teardown() {
        if (closed) {
            return;
        }
        closed = true;
        // Newest first: the product's processes, then kube-controller-manager, kube-apiserver, etcd.
        List<ManagedProcess> newestFirst = new ArrayList<>(processes);
        java.util.Collections.reverse(newestFirst);
        for (ManagedProcess p : newestFirst) {
            quietly("stop " + p.name(), p::close);
        }
        if (kubernetesService != null) {
            quietly("containers", () -> Podman.removeRun(prefix));
        }
        if (cp != null) {
            quietly("control plane", cp::close);
        }
        if (echo != null) {
            quietly("echo server", echo::close);
        }
        quietly("namespaces", topology::destroy);
        quietly("run directory", () -> RunRegistry.deleteTree(runDir));
        registry.release(prefix);
        if (exclusiveLock != null) {
            quietly("sandbox lock", exclusiveLock::close);
        }
        LOG.info("testbed: torn down prefix={}", prefix);
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(String what, Step step) {
        long t0 = System.nanoTime();
        try {
            step.run();
        } catch (Exception | Error e) {
            LOG.warn("testbed: teardown step failed: {}: {}", what, e.toString());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms >= 2_000) {
            LOG.info("testbed: teardown step took {} ms: {}", ms, what);
        }
    }
}
