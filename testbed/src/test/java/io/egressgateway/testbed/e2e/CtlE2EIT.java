package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.Kubectl;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.bench.Prober;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code egressgateway ctl} against the real API server, run the way users run it: {@code kubectl
 * egressgateway ...} (kubectl finds the {@code bin/kubectl-egressgateway} wrapper on PATH) with the
 * admin's kubeconfig in KUBECONFIG. explain names the policy, EIP and node of a selected pod and the
 * reason for an unselected pod and for excluded destinations; status agrees with {@code kubectl get};
 * move-eip refuses an ineligible node (and admission refuses the same request written by hand), then
 * moves the EIP, and the external host sees the pod from the EIP through the new node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CtlE2EIT extends E2ESupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private String eip;
    private Path bin;
    private Kubectl kubectl;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder()
                .pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("web-1", 1, Map.of("app", "web"))
                .pod("other-1", 1, Map.of("app", "other")).build();
    }

    @Override
    Map<String, String> settings() {
        // a move waits heartbeat.evictionTimeout between release and placement: keep it short, but
        // longer than the 5 s default so a loaded machine's late renewal does not fail over mid-test
        return Map.of("EGW_HEARTBEAT_EVICTIONTIMEOUT", "15s");
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
        // web-all: empty destCIDR, so every destination outside the cluster's networks
        resources.create("""
                apiVersion: egressgateway.spidernet.io/v1
                kind: EgressGatewayPolicy
                metadata:
                  name: web-all
                spec:
                  egressGatewayName: default
                  appliedTo:
                    podSelector:
                      matchLabels:
                        app: web
                """);
        awaitPolicyStatus("web-all", "node");
        try {
            bin = Files.createDirectories(testbed.runDir().resolve("ctl-bin"));
            Files.copy(ProjectPaths.find("bin/kubectl-egressgateway"), bin.resolve("kubectl-egressgateway"));
            Path launcher = bin.resolve("egressgateway");
            Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                    + "' -jar '" + ProjectPaths.find("bootstrap/target/egressgateway.jar") + "' \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            kubectl = Kubectl.admin(testbed, Files.createDirectories(testbed.runDir().resolve("ctl-kubectl-cache")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code kubectl egressgateway <args>}: exit code, stdout, stderr. */
    private record Run(int exit, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out);
        }
    }

    private Run ctl(String... args) {
        List<String> argv = new ArrayList<>(List.of(testbed.controlPlane().tools().kubectl().toString(), "egressgateway"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("KUBECONFIG", testbed.kubeconfig().toString());
        pb.environment().remove("EGRESSGATEWAY");
        try {
            Path out = Files.createTempFile(testbed.runDir(), "ctl", ".out");
            Path err = Files.createTempFile(testbed.runDir(), "ctl", ".err");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kubectl egressgateway " + args[0] + " did not finish in 120 s");
            }
            Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            System.out.println("$ kubectl egressgateway " + String.join(" ", args) + "   (exit " + r.exit() + ")\n" + r.out() + r.err());
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode policy(JsonNode explanation, String name) {
        for (JsonNode p : explanation.get("policies")) {
            if (p.get("name").stringValue().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("policy " + name + " not in " + explanation);
    }

    @Test
    @Order(1)
    void explainNamesThePolicyEipAndNodeOfASelectedPod() {
        String node = awaitPolicyStatus("shop", "node");
        eventuallySeen("shop-1", eip); // the agents have programmed it
        Waits.until("both agents to report shop programmed", DEADLINE,
                () -> ctl("explain", "pod", "default/shop-1", "--to", testbed.externalAddress() + ":" + testbed.echoPort(),
                        "-o", "json").exit() == 0);
        Run r = ctl("explain", "pod", "default/shop-1", "--to", testbed.externalAddress() + ":" + testbed.echoPort(), "-o", "json");
        assertThat(r.exit()).isZero();
        JsonNode e = r.json();
        assertThat(e.get("outcome").stringValue()).isEqualTo("VIA_GATEWAY");
        assertThat(e.get("winner").stringValue()).isEqualTo("shop");
        assertThat(e.get("route").get("eipV4").stringValue()).isEqualTo(eip);
        assertThat(e.get("route").get("gatewayNode").stringValue()).isEqualTo(node);
        assertThat(e.get("route").get("gateway").stringValue()).isEqualTo("default");
        assertThat(e.get("findings").size()).isZero();
        Run text = ctl("explain", "pod", "default/shop-1", "--to", testbed.externalAddress());
        assertThat(text.out()).contains("* shop (priority 0): selects the pod", "gateway node: " + node + " (Ready)");
    }

    @Test
    @Order(2)
    void explainGivesTheReasonForAnUnselectedPod() {
        Run r = ctl("explain", "pod", "default/other-1", "--to", testbed.externalAddress(), "-o", "json");
        assertThat(r.exit()).isEqualTo(4);
        JsonNode e = r.json();
        assertThat(e.get("outcome").stringValue()).isEqualTo("NOT_SELECTED");
        assertThat(e.get("winner").isNull()).isTrue();
        assertThat(policy(e, "shop").get("selection").stringValue())
                .contains("spec.appliedTo.podSelector does not match the pod's labels", "app=other");
        assertThat(e.get("findings").get(0).get("problem").stringValue()).contains("no EgressGatewayPolicy selects pod default/other-1");

        assertThat(ctl("explain", "pod", "default/nosuchpod").exit()).isEqualTo(3);
    }

    @Test
    @Order(3)
    void explainGivesTheReasonForExcludedDestinations() {
        Run outside = ctl("explain", "pod", "default/shop-1", "--to", "198.51.100.7", "-o", "json");
        assertThat(outside.exit()).isEqualTo(4);
        assertThat(outside.json().get("outcome").stringValue()).isEqualTo("NOT_MATCHED");
        assertThat(policy(outside.json(), "shop").get("destination").stringValue())
                .isEqualTo("198.51.100.7 is not in spec.destCIDR [192.0.2.100/32]");

        String serviceCidr = testbed.serviceCidrs().get(0);
        String serviceIp = serviceCidr.substring(0, serviceCidr.lastIndexOf('.')) + ".10"; // inside a /12 or wider
        Run cluster = ctl("explain", "pod", "default/web-1", "--to", serviceIp, "-o", "json");
        assertThat(cluster.exit()).isEqualTo(4);
        assertThat(policy(cluster.json(), "web-all").get("destination").stringValue())
                .contains(serviceIp + " is a cluster network (EgressClusterInfo serviceCIDRs " + serviceCidr);
        assertThat(cluster.json().get("findings").get(0).get("fix").stringValue())
                .isEqualTo("EgressGatewayPolicy/web-all spec.destCIDR");
    }

    @Test
    @Order(4)
    void statusListsWhatKubectlGetShows() {
        Waits.until("the controller to settle policy statuses", DEADLINE,
                () -> Resources.status(resources.get("EgressGatewayPolicy", "web-all"), "eip", "ipv4") != null);
        JsonNode s = ctl("status", "-o", "json").json();
        Map<String, String> ctlGateways = new TreeMap<>();
        s.get("gateways").forEach(g -> ctlGateways.put(g.get("name").stringValue(), g.get("readyNodes").stringValue()));
        assertThat(ctlGateways).isEqualTo(kubectlColumns("egw", "NAME:.metadata.name,NODES:.status.readyNodes"));
        Map<String, String> ctlPolicies = new TreeMap<>();
        s.get("policies").forEach(p -> ctlPolicies.put(p.get("name").stringValue(),
                text(p.get("eipV4")) + " " + text(p.get("node"))));
        assertThat(ctlPolicies).isEqualTo(kubectlColumns("egwp",
                "NAME:.metadata.name,EIP:.status.eip.ipv4,NODE:.status.node"));
        Map<String, String> ctlNodes = new TreeMap<>();
        s.get("nodes").forEach(n -> ctlNodes.put(n.get("name").stringValue(), n.get("phase").stringValue()));
        assertThat(ctlNodes).isEqualTo(kubectlColumns("egn", "NAME:.metadata.name,PHASE:.status.phase"));
        assertThat(ctlNodes).containsOnlyKeys("node1", "node2", "node3");
        assertThat(ctl("status").out()).contains("GATEWAY", "POLICY", "HEARTBEAT", "shop", "web-all");
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "<none>" : n.stringValue();
    }

    /** {@code kubectl get <kind> -o custom-columns=...}: the first column to the rest joined by a space. */
    private Map<String, String> kubectlColumns(String kind, String columns) {
        var r = kubectl.run("get", kind, "--no-headers", "-o", "custom-columns=" + columns);
        assertThat(r.exitCode()).as("kubectl get %s: %s", kind, r.stderr()).isZero();
        Map<String, String> out = new TreeMap<>();
        for (String line : r.stdout().strip().split("\n")) {
            String[] f = line.strip().split("\\s+", 2);
            out.put(f[0], f[1].strip().replaceAll("\\s+", " "));
        }
        return out;
    }

    @Test
    @Order(5)
    void moveEipRefusesANodeThatIsNotEligibleAndAdmissionRefusesItToo() {
        Run r = ctl("move-eip", "default", eip, "--to", "node1");
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains("node node1 is not a node of gateway default");
        assertThat(ctl("move-eip", "nosuch", eip, "--to", "node2").exit()).isEqualTo(3);
        assertThat(ctl("move-eip", "default", "192.0.2.209", "--to", "node2").exit()).isEqualTo(3);
        // written by hand, past the command's own check: the webhook refuses it with the same reason
        var annotate = kubectl.run("annotate", "egw", "default", "--overwrite",
                "egressgateway.spidernet.io/move-eip=" + eip + "=node1");
        assertThat(annotate.exitCode()).isNotZero();
        assertThat(annotate.stderr()).contains("metadata.annotations[egressgateway.spidernet.io/move-eip]",
                "node node1 is not a node of gateway default");
    }

    @Test
    @Order(6)
    void moveEipMovesTheEipAndTrafficLeavesThroughTheNewNode() throws Exception {
        String from = awaitPolicyStatus("shop", "node");
        String to = from.equals("node2") ? "node3" : "node2";
        long start = System.nanoTime();
        Map<String, Long> bySource;
        try (Prober probe = Prober.start(testbed.pod("shop-1").netns(), testbed.externalAddress(), testbed.echoPort(),
                Duration.ofMillis(20), Duration.ofSeconds(1))) {
            Waits.until("probes from shop-1 to be answered from " + eip, DEADLINE,
                    () -> probe.answersSince(start).stream().anyMatch(a -> a.address().equals(eip)));
            Run r = ctl("move-eip", "default", eip, "--to", to);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("moved", "to node " + to);
            long moved = System.nanoTime();
            Waits.until("probes to be answered from " + eip + " after the move", DEADLINE,
                    () -> probe.answersSince(moved).stream().anyMatch(a -> a.address().equals(eip)));
            List<Prober.Answer> answers = probe.answersSince(start);
            bySource = answers.stream().collect(Collectors.groupingBy(Prober.Answer::address, TreeMap::new,
                    Collectors.counting()));
            System.out.println("BENCHMARK e2e.ctl.move_eip answers=" + answers.size() + " by source " + bySource
                    + " longest_gap_ms=" + longestGapMs(answers) + " (move from " + from + " to " + to
                    + ", heartbeat.evictionTimeout 15 s, probes every 20 ms)");
        }
        assertThat(bySource.keySet()).as("sources the external host saw from shop-1 during the move").containsOnly(eip);
        assertThat(awaitPolicyStatus("shop", "node")).isEqualTo(to);
        eventuallySeen("shop-1", eip);
        String conntrack = onNode(to, "conntrack", "-L", "-s", testbed.pod("shop-1").ipv4(), "-d", testbed.externalAddress());
        assertThat(conntrack).as("conntrack of %s", to).contains("dst=" + eip);
        Waits.until("the gateway's EIPMoveReleasing and EIPMoveMoved Events", DEADLINE, () -> {
            List<String> reasons = testbed.client().v1().events().inNamespace("default").list().getItems().stream()
                    .filter(ev -> "default".equals(ev.getInvolvedObject().getName())
                            && "EgressGateway".equals(ev.getInvolvedObject().getKind()))
                    .map(ev -> ev.getReason()).toList();
            return reasons.containsAll(List.of("EIPMoveReleasing", "EIPMoveMoved"));
        });
        // idempotent: asking again is "already there", and the controller keeps it there
        Run again = ctl("move-eip", "default", eip, "--to", to);
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("already on node " + to);
        Run explained = ctl("explain", "pod", "default/shop-1", "--to", testbed.externalAddress(), "-o", "json");
        assertThat(explained.json().get("route").get("gatewayNode").stringValue()).isEqualTo(to);
    }

    private static long longestGapMs(List<Prober.Answer> answers) {
        List<Long> t = answers.stream().map(Prober.Answer::answered).sorted().toList();
        long gap = 0;
        for (int i = 1; i < t.size(); i++) {
            gap = Math.max(gap, t.get(i) - t.get(i - 1));
        }
        return gap / 1_000_000;
    }
}
