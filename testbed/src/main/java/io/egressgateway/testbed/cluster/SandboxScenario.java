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

    private SandboxScenario(Testbed testbed, EgressCluster cluster, PrintStream out) {
        this.testbed = testbed;
        this.cluster = cluster;
        this.resources = new Resources(testbed.client());
        this.out = out;
    }

    public static SandboxScenario start(IptablesBackend backend, int apiPort, PrintStream out) {
        out.println("sandbox: building the testbed (namespaces, underlay, pods, embedded API server) ...");
        Testbed tb = Testbed.build(TestbedOptions.builder().backend(backend).apiPort(apiPort).exclusive(true)
                .pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("shop-2", 2, Map.of("app", "shopping"))
                .pod("other-1", 1, Map.of("app", "other"))
                .build());
        try {
            out.println("sandbox: starting the controller and one agent per node ...");
            EgressCluster c = EgressCluster.start(tb, Map.of());
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
        String k = "kubectl --kubeconfig " + testbed.kubeconfig();
        out.println();
        out.println("Explore the sandbox (the embedded API server has no OpenAPI endpoint, hence --validate=false):");
        out.println("  " + k + " get nodes,pods -A");
        out.println("  " + k + " get egressgateways,egressgatewaypolicies,egressnodes      # short: egw,egwp,egn");
        out.println("  " + k + " describe egwp shop");
        out.println("  " + k + " apply --validate=false -f deploy/examples/policy.yaml");
        out.println("  " + k + " delete egwp shop");
        out.println("A pod's view:          ip netns exec " + testbed.pod("shop-1").netns()
                + " bash   (then: curl is not needed; the echo server is on " + testbed.externalAddress() + ":"
                + testbed.echoPort() + ")");
        out.println("A node's datapath:     ip netns exec " + testbed.nodeNetns("node2") + " iptables-save | grep -i egress");
        out.println("Logs:                  " + testbed.runDir() + "/*.log");
        if (ProcessRunner.tryRun(List.of("sh", "-c", "command -v kubectl"), Duration.ofSeconds(5)).ok()) {
            ProcessRunner.Result r = ProcessRunner.tryRun(List.of("kubectl", "--kubeconfig", testbed.kubeconfig().toString(),
                    "get", "egressgateways,egressgatewaypolicies,egressnodes"), Duration.ofSeconds(20));
            out.println();
            out.println("$ " + k + " get egressgateways,egressgatewaypolicies,egressnodes");
            out.println(r.ok() ? r.stdout() : r.stderr());
        }
    }

    @Override
    public void close() {
        out.println("sandbox: stopping the processes and removing every namespace of this run ...");
        cluster.close();
        testbed.close();
        out.println("sandbox: done; nothing of this run is left on the machine.");
    }
}
