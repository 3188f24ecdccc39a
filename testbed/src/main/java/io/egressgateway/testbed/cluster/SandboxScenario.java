package io.egressgateway.testbed.cluster;

import io.egressgateway.testbed.IptablesBackend;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.echo.EchoReply;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's story: three nodes (node2 and node3 gateways), pods labelled app=shopping on node1
 * and node2 and one app=other on node1, the seed's example gateway and policy, then the checks a
 * newcomer reads: each prints {@code check <name>: OK|FAIL <detail>}.
 */
public final class SandboxScenario implements AutoCloseable {
    private final Testbed testbed;
    private final EgressCluster cluster;
    private final Resources resources;
    private final PrintStream out;
    private boolean allOk = true;
    private PodProvisioner provisioner;

    private SandboxScenario(Testbed testbed, EgressCluster cluster, PrintStream out) {
        this.testbed = testbed;
        this.cluster = cluster;
        this.resources = new Resources(testbed.client());
        this.out = out;
    }

    /**
     * Builds the testbed and starts the product; {@code containers}: the controller and the agents from
     * the container image, as the install manifest runs them (docs/image.md), else as processes.
     */
    public static SandboxScenario start(IptablesBackend backend, int apiPort, boolean containers, PrintStream out) {
        out.println("sandbox: building the testbed (namespaces, underlay, pods, and a Kubernetes control plane:"
                + " etcd, kube-apiserver, kube-controller-manager) ...");
        Testbed tb = Testbed.build(TestbedOptions.builder().backend(backend).apiPort(apiPort).exclusive(true)
                .pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("shop-2", 2, Map.of("app", "shopping"))
                .pod("other-1", 1, Map.of("app", "other"))
                .build());
        try {
            out.println(containers
                    ? "sandbox: building the container image when missing (bin/image-build) and starting the controller and"
                            + " one agent per node from it with podman, as deploy/egressgateway.yaml runs them ..."
                    : "sandbox: starting the controller and one agent per node ...");
            EgressCluster c = EgressCluster.start(tb, Map.of(),
                    containers ? EgressCluster.Launch.containers() : EgressCluster.Launch.testing());
            return new SandboxScenario(tb, c, out);
        } catch (RuntimeException e) {
            tb.close();
            throw e;
        }
    }

    /** Applies the example and runs every check; true when all passed. */
    public boolean runChecks() {
        check("example-applied", () -> {
            resources.create(ProjectPaths.find("deploy/examples/gateway.yaml"));
            resources.awaitGatewayElected("default");
            resources.create(ProjectPaths.find("deploy/examples/policy.yaml"));
            return "EgressGateway default and EgressGatewayPolicy shop created (deploy/examples/)";
        });
        String[] eip = new String[1];
        check("policy-has-eip", () -> {
            Waits.until("policy shop to get an EIP and a node", Duration.ofSeconds(90), () ->
                    Resources.status(resources.get("EgressGatewayPolicy", "shop"), "node") != null);
            GenericKubernetesResource p = resources.get("EgressGatewayPolicy", "shop");
            eip[0] = (String) Resources.status(p, "eip", "ipv4");
            return "eip " + eip[0] + " on gateway node " + Resources.status(p, "node");
        });
        check("selected-pod-on-node1-leaves-with-eip", () -> expectSeen("shop-1", testbed.externalAddress(), eip[0]));
        check("selected-pod-on-gateway-node-leaves-with-eip", () -> expectSeen("shop-2", testbed.externalAddress(), eip[0]));
        check("unselected-pod-keeps-its-path", () -> expectSeen("other-1", testbed.externalAddress(),
                testbed.nodeAddress("node1")));
        check("other-destination-keeps-its-path", () -> expectSeen("shop-1", testbed.externalExtraAddress(),
                testbed.nodeAddress("node1")));
        check("bad-policy-refused", this::badPolicyRefused);
        check("kubectl-get", () -> kubectlGet(eip[0]));
        if (!allOk) {
            out.println("\nsandbox: some checks failed; the processes' last log lines:\n" + cluster.logs(40));
        }
        return allOk;
    }

    private String expectSeen(String pod, String host, String expected) {
        String[] seen = new String[1];
        Waits.until(pod + " -> " + host + " seen from " + expected, Duration.ofSeconds(60), () -> {
            EchoReply r = testbed.pod(pod).request(host, testbed.echoPort(), Duration.ofSeconds(2));
            seen[0] = r.address();
            return expected.equals(seen[0]);
        });
        return "pod " + pod + " (" + testbed.pod(pod).ipv4() + ") -> " + host + ": the external host saw " + seen[0];
    }

    private String badPolicyRefused() {
        String bad = String.join("\n", "apiVersion: egressgateway.spidernet.io/v1", "kind: EgressGatewayPolicy",
                "metadata: {name: bad}", "spec:", "  appliedTo:", "    podSelector: {matchLabels: {app: shopping}}",
                "    podSubnet: [10.244.1.0/24]", "  destCIDR: [198.51.100.0/33]");
        try {
            resources.create(bad);
        } catch (KubernetesClientException e) {
            return "refused with: " + e.getStatus().getMessage();
        }
        resources.delete("EgressGatewayPolicy", "bad");
        throw new IllegalStateException("a policy with both podSelector and podSubnet and a bad CIDR was accepted");
    }

    /** What a person sees with the built kubectl: the policy with its EIP and node, printed by the real API server. */
    private String kubectlGet(String eip) {
        ProcessRunner.Result r = testbed.controlPlane().kubectl("get", "egressgatewaypolicies", "shop", "--no-headers");
        if (!r.ok()) {
            throw new IllegalStateException("kubectl get egressgatewaypolicies shop failed: " + r.stderr().strip());
        }
        String row = r.stdout().strip().replaceAll("\\s+", " ");
        if (eip == null || !row.contains(eip)) {
            throw new IllegalStateException("kubectl get egressgatewaypolicies shop printed \"" + row + "\", without the EIP "
                    + eip);
        }
        return "kube-apiserver " + testbed.controlPlane().version() + ", " + testbed.controlPlane().tools().kubectl()
                + " get egwp shop: " + row;
    }

    /** From now on a Pod written with kubectl (spec.nodeName set) gets a namespace and addresses on its node. */
    public void acceptPodsFromKubectl() {
        provisioner = PodProvisioner.start(testbed);
    }

    private void check(String name, java.util.concurrent.Callable<String> body) {
        try {
            out.println("check " + name + ": OK " + body.call());
        } catch (Exception e) {
            allOk = false;
            out.println("check " + name + ": FAIL " + e.getMessage());
        }
        out.flush();
    }

    public void printHowToExplore() {
        String kubectl = testbed.controlPlane().tools().kubectl().toString();
        String pod = testbed.pod("shop-1").netns();
        String echo = testbed.externalAddress() + "/" + testbed.echoPort();
        out.println();
        out.println("The sandbox is a cluster: kube-apiserver " + testbed.controlPlane().version() + " at "
                + testbed.apiServerUrl() + ". In another shell:");
        out.println("  export KUBECONFIG=" + testbed.kubeconfig());
        out.println("  alias kubectl=" + kubectl);
        out.println("  kubectl get nodes,pods -A -o wide");
        out.println("  kubectl get egressgateways,egressgatewaypolicies,egressnodes      # short: egw,egwp,egn");
        out.println("  kubectl describe egwp shop");
        out.println("  kubectl apply -f deploy/examples/policy.yaml");
        out.println("  kubectl explain egressgatewaypolicies.spec");
        out.println("Send a request from pod shop-1 and read the source address the external host saw:");
        out.println("  ip netns exec " + pod + " bash -c 'exec 3<>/dev/tcp/" + echo + "; echo ? >&3; head -1 <&3'");
        out.println("Add a pod (there is no scheduler: name its node; the sandbox gives it a namespace and addresses):");
        out.println("  kubectl run web --image=none --labels=app=shopping --overrides='{\"spec\":{\"nodeName\":\"node1\"}}'");
        out.println("  kubectl get pod web -o wide      # then: ip netns exec " + testbed.prefix() + "pod-web bash ...");
        out.println("A node's datapath:     ip netns exec " + testbed.nodeNetns("node2") + " iptables-save | grep -i egress");
        out.println("Logs:                  " + testbed.runDir() + "/*.log");
        if (cluster.controllerPod() != null) {
            out.println("Containers:            podman --storage-driver vfs ps --filter label="
                    + io.egressgateway.testbed.container.Podman.RUN_LABEL + "=" + testbed.prefix());
        }
        ProcessRunner.Result r = testbed.controlPlane().kubectl("get", "egressgateways,egressgatewaypolicies,egressnodes");
        out.println();
        out.println("$ kubectl get egressgateways,egressgatewaypolicies,egressnodes");
        out.println(r.ok() ? r.stdout() : r.stderr());
    }

    @Override
    public void close() {
        out.println("sandbox: stopping the processes and removing every namespace of this run ...");
        if (provisioner != null) {
            provisioner.close();
        }
        cluster.close();
        testbed.close();
        out.println("sandbox: done; nothing of this run is left on the machine.");
    }
}
