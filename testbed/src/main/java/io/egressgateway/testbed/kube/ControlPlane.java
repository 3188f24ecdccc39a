package io.egressgateway.testbed.kube;

import io.egressgateway.testbed.ManagedProcess;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane for one testbed run: etcd, kube-apiserver and
 * kube-controller-manager (namespace lifecycle, garbage collection, service accounts; no node
 * lifecycle, no scheduler: the testbed plays kubelet) built from {@code testbed/kube}, running in the
 * run's own network namespace {@code <prefix>cp} so their fixed ports never meet the machine's. The
 * controller of the product runs in that namespace too (the API server calls its webhooks there);
 * everything else reaches the API server through {@link ApiProxy#into a relay} on a port of the
 * machine's 127.0.0.1.
 *
 * <p>Identities: the testbed's admin and kube-controller-manager authenticate with static tokens, both
 * in {@code system:masters} (kube-controller-manager's own role lacks what its namespace controller
 * needs unless it runs each controller under a service account of its own, which the testbed skips); the product's controller and agents get service-account tokens from the
 * TokenRequest API, bound to a Pod on their node, so RBAC from {@code deploy/} and the node-restriction
 * policy apply to them exactly as in a cluster ({@link Identities}).
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    /** Ports inside the control plane's namespace; nothing else listens there. */
    public static final int API_PORT = 6443;
    private static final int ETCD_CLIENT_PORT = 2379;
    private static final int ETCD_PEER_PORT = 2380;
    /** The control plane's underlay address when the nodes reach it (container mode; Addressing.CONTROL_PLANE_V4). */
    public static final String NODE_FACING_V4 = "192.0.2.5";
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);

    /** Starts a process inside the control plane's namespace, its output in the run's logs. */
    @FunctionalInterface
    public interface Launcher {
        ManagedProcess start(String name, List<String> argv, Map<String, String> env);
    }

    private final String netns;
    private final Path dir;
    private final KubeTools tools;
    private final Launcher launcher;
    private final List<String> serviceCidrs;
    private final Pki pki;
    private final String adminToken = UUID.randomUUID().toString();
    private final String kcmToken = UUID.randomUUID().toString();
    private ApiProxy relay;
    private ManagedProcess etcd;
    private ManagedProcess apiServer;
    private ManagedProcess controllerManager;
    private Path adminKubeconfig;
    private KubernetesClient client;
    private String version;

    private ControlPlane(String netns, Path dir, KubeTools tools, Launcher launcher, List<String> serviceCidrs) {
        this.netns = netns;
        this.dir = dir;
        this.tools = tools;
        this.launcher = launcher;
        this.serviceCidrs = List.copyOf(serviceCidrs);
        this.pki = Pki.create(dir.resolve("pki"), apiServerIps(serviceCidrs));
    }

    /**
     * Starts etcd, kube-apiserver and kube-controller-manager inside {@code netns} and the relay on
     * {@code hostPort} of this namespace's 127.0.0.1 (0: a free port); returns once the API server is
     * ready. On failure everything started is stopped again.
     */
    public static ControlPlane start(String netns, Path dir, KubeTools tools, Launcher launcher, List<String> serviceCidrs,
            int hostPort) {
        ControlPlane cp = new ControlPlane(netns, dir, tools, launcher, serviceCidrs);
        try {
            cp.relay = ApiProxy.into(netns, API_PORT, hostPort);
            cp.startAll();
            return cp;
        } catch (RuntimeException | Error e) {
            cp.close();
            throw e;
        }
    }

    /**
     * The addresses the serving certificate names besides 127.0.0.1: the {@code kubernetes} Service's
     * ClusterIP (the first address of the Service range, as in every cluster) and the control plane's
     * underlay address of container mode ({@link #NODE_FACING_V4}).
     */
    private static List<String> apiServerIps(List<String> serviceCidrs) {
        List<String> ips = new ArrayList<>(List.of(NODE_FACING_V4));
        for (String cidr : serviceCidrs) {
            if (!cidr.contains(":")) {
                String[] o = cidr.substring(0, cidr.indexOf('/')).split("\\.");
                ips.add(o[0] + "." + o[1] + "." + o[2] + "." + (Integer.parseInt(o[3]) + 1));
            }
        }
        return ips;
    }

    private void startAll() {
        long t0 = System.nanoTime();
        writeFile("tokens.csv", adminToken + ",testbed-admin,testbed-admin,\"system:masters\"\n"
                + kcmToken + ",system:kube-controller-manager,kube-controller-manager,\"system:masters\"\n");
        adminKubeconfig = Kubeconfigs.write(dir.resolve("admin.kubeconfig"), relay.url(), pki.caPem(), adminToken,
                "testbed-admin", "default");
        Kubeconfigs.write(dir.resolve("kcm.kubeconfig"), inNamespaceUrl(), pki.caPem(), kcmToken,
                "kube-controller-manager", "kube-system");
        etcd = launcher.start("etcd", etcdArgs(), quietEnv());
        startApiServer();
        controllerManager = launcher.start("kube-controller-manager", kcmArgs(), quietEnv());
        LOG.info("testbed: control plane up kube-apiserver={} netns={} url={} in {} ms", version, netns, relay.url(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Starts kube-apiserver (again, after {@link #stopApiServer()}) and waits until it is ready. */
    public void startApiServer() {
        apiServer = launcher.start("kube-apiserver", apiServerArgs(), quietEnv());
        version = Readiness.await(relay.url(), pki.caPem(), adminToken, apiServer, START_DEADLINE);
        if (client == null) {
            client = Kubeconfigs.client(adminKubeconfig);
        }
    }

    /** Stops kube-apiserver (SIGTERM, as a control-plane upgrade would); etcd and everything else keep running. */
    public void stopApiServer() {
        if (apiServer != null) {
            apiServer.stop(Duration.ofSeconds(20));
            LOG.info("testbed: kube-apiserver stopped");
        }
    }

    private List<String> etcdArgs() {
        String client = "http://127.0.0.1:" + ETCD_CLIENT_PORT;
        String peer = "http://127.0.0.1:" + ETCD_PEER_PORT;
        return List.of(tools.etcd().toString(), "--name=testbed", "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=testbed=" + peer, "--unsafe-no-fsync", "--log-level=warn");
    }

    private List<String> apiServerArgs() {
        String issuer = "https://kubernetes.default.svc.cluster.local";
        // Every address of its own namespace: only 127.0.0.1 there, plus the underlay address in container
        // mode (Testbed#exposeApiServerToNodes), where the nodes reach it as the kubernetes Service's endpoint.
        return List.of(tools.apiServer().toString(),
                "--etcd-servers=http://127.0.0.1:" + ETCD_CLIENT_PORT,
                "--bind-address=0.0.0.0", "--advertise-address=127.0.0.1", "--secure-port=" + API_PORT,
                "--endpoint-reconciler-type=none",
                "--tls-cert-file=" + pki.servingCert(), "--tls-private-key-file=" + pki.servingKey(),
                "--client-ca-file=" + pki.caFile(),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=Node,RBAC",
                "--service-account-issuer=" + issuer, "--api-audiences=" + issuer,
                "--service-account-key-file=" + pki.serviceAccountKey(),
                "--service-account-signing-key-file=" + pki.serviceAccountKey(),
                "--service-cluster-ip-range=" + String.join(",", serviceCidrs),
                "--allow-privileged=true", "--profiling=false",
                "--cert-dir=" + dir.resolve("apiserver-certs"), "--v=1");
    }

    private List<String> kcmArgs() {
        return List.of(tools.controllerManager().toString(),
                "--kubeconfig=" + dir.resolve("kcm.kubeconfig"),
                "--authentication-kubeconfig=" + dir.resolve("kcm.kubeconfig"),
                "--authorization-kubeconfig=" + dir.resolve("kcm.kubeconfig"),
                "--controllers=namespace-controller,garbage-collector-controller,serviceaccount-controller,service-cidr-controller",
                "--leader-elect=false", "--use-service-account-credentials=false",
                "--bind-address=127.0.0.1", "--secure-port=10257",
                "--cert-dir=" + dir.resolve("kcm-certs"), "--v=1");
    }

    /** No proxy settings of the machine leak into the control plane: it talks to 127.0.0.1 only. */
    private static Map<String, String> quietEnv() {
        Map<String, String> env = new HashMap<>();
        for (String k : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")) {
            env.put(k, "");
        }
        return env;
    }

    /** The API server's URL from inside the control plane's namespace (where the product's controller runs). */
    public String inNamespaceUrl() {
        return "https://127.0.0.1:" + API_PORT;
    }

    /** The API server's URL from this machine's namespace (the relay). */
    public String url() {
        return relay.url();
    }

    public int port() {
        return relay.port();
    }

    public String netns() {
        return netns;
    }

    /** {@code gitVersion} of the running kube-apiserver, e.g. v1.34.4. */
    public String version() {
        return version;
    }

    public String caPem() {
        return pki.caPem();
    }

    /** The testbed admin's kubeconfig (system:masters), what a person pastes into KUBECONFIG. */
    public Path adminKubeconfig() {
        return adminKubeconfig;
    }

    /** A client of the admin (closed with the control plane). */
    public KubernetesClient client() {
        return client;
    }

    public KubeTools tools() {
        return tools;
    }

    /** kubectl as the admin; the result whatever the exit code. */
    public ProcessRunner.Result kubectl(String... args) {
        List<String> argv = new ArrayList<>(List.of(tools.kubectl().toString(), "--kubeconfig", adminKubeconfig.toString()));
        argv.addAll(List.of(args));
        return ProcessRunner.tryRun(argv, Duration.ofSeconds(90));
    }

    /** The last {@code lines} lines of the logs of etcd, kube-apiserver and kube-controller-manager. */
    public String logs(int lines) {
        StringBuilder b = new StringBuilder();
        for (ManagedProcess p : new ManagedProcess[] {etcd, apiServer, controllerManager}) {
            if (p != null) {
                b.append("--- ").append(p.name()).append(" (").append(p.logFile()).append(")\n")
                        .append(p.logTail(lines)).append('\n');
            }
        }
        return b.toString();
    }

    /** Identities of the product's processes (service accounts, tokens bound to Pods). */
    public Identities identities() {
        return new Identities(this, dir);
    }

    /**
     * Makes the Service {@code namespace/name} reachable from inside the control plane's namespace as
     * kube-proxy would: its ClusterIP on the loopback device, port -> targetPort by DNAT. The API
     * server calls webhooks at the ClusterIP of their Service, so this is how it reaches the controller.
     */
    public void routeService(String namespace, String name) {
        ServiceRoutes.route(netns, client, namespace, name);
    }

    private void writeFile(String name, String text) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        for (ManagedProcess p : new ManagedProcess[] {controllerManager, apiServer, etcd}) {
            if (p != null) {
                p.close();
            }
        }
        if (relay != null) {
            relay.close();
        }
    }
}
