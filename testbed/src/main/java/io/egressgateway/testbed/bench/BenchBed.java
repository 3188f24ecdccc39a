package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.IptablesBackend;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * The testbed every benchmark runs on: three nodes (node2, node3 gateways), the seed's example
 * gateway and policy (app=shopping), and four pods on node1, the non-gateway node, so that the
 * gateway path crosses the tunnel:
 * <ul>
 * <li>{@value #DIRECT}: app=other, selected by no policy: leaves through node1 (the direct path);</li>
 * <li>{@value #SHOP}: app=shopping: leaves through the gateway with the EIP;</li>
 * <li>{@value #ADDED}: app=shopping, its Pod object deleted and created again (a pod appearing);</li>
 * <li>{@value #FLIP}: app=idle, its label flipped to app=shopping and back;</li>
 * </ul>
 * and one app=shopping pod on each gateway node ({@code local-2}, {@code local-3}), whose traffic is
 * SNATed on the gateway without crossing the tunnel when that node carries the EIP.
 */
final class BenchBed implements AutoCloseable {
    static final String DIRECT = "direct-1";
    static final String SHOP = "shop-1";
    static final String ADDED = "added-1";
    static final String FLIP = "flip-1";
    static final String POLICY = "shop";
    static final Duration DEADLINE = Duration.ofSeconds(120);

    final Testbed testbed;
    final EgressCluster cluster;
    final Resources resources;
    final String eip;
    final PrintStream log;
    final Map<String, String> settings;

    private BenchBed(Testbed testbed, EgressCluster cluster, String eip, PrintStream log, Map<String, String> settings) {
        this.testbed = testbed;
        this.cluster = cluster;
        this.resources = new Resources(testbed.client());
        this.eip = eip;
        this.log = log;
        this.settings = Map.copyOf(settings);
    }

    /**
     * Builds the testbed, starts the product with {@code settings} ({@code EGW_...}) as {@code launch} says
     * (the bench: production's JVM flags, {@link EgressCluster.Launch#production(List, List)}) and applies
     * the example.
     */
    static BenchBed start(IptablesBackend backend, Map<String, String> settings, EgressCluster.Launch launch, PrintStream log) {
        log.println("bench: building the testbed and starting the controller and agents ...");
        Testbed tb = Testbed.build(TestbedOptions.builder().backend(backend)
                .pod(DIRECT, 1, Map.of("app", "other"))
                .pod(SHOP, 1, Map.of("app", "shopping"))
                .pod(ADDED, 1, Map.of("app", "shopping"))
                .pod(FLIP, 1, Map.of("app", "idle"))
                .pod(localPod("node2"), 2, Map.of("app", "shopping"))
                .pod(localPod("node3"), 3, Map.of("app", "shopping"))
                .build());
        EgressCluster cluster = null;
        try {
            cluster = EgressCluster.start(tb, settings, launch);
            Resources r = new Resources(tb.client());
            r.create(ProjectPaths.find("deploy/examples/gateway.yaml"));
            r.awaitGatewayElected("default");
            r.create(ProjectPaths.find("deploy/examples/policy.yaml"));
            Waits.until("policy shop to get an EIP", DEADLINE,
                    () -> Resources.status(r.get("EgressGatewayPolicy", POLICY), "eip", "ipv4") != null);
            String eip = String.valueOf(Resources.status(r.get("EgressGatewayPolicy", POLICY), "eip", "ipv4"));
            BenchBed bed = new BenchBed(tb, cluster, eip, log, settings);
            bed.awaitSeen(SHOP, eip);
            log.println("bench: ready: policy " + POLICY + " eip " + eip + " on " + bed.activeGateway()
                    + "; testbed prefix " + tb.prefix());
            return bed;
        } catch (RuntimeException | Error e) {
            if (cluster != null) {
                log.println("bench: setup failed; the processes' last log lines:\n" + cluster.logs(40));
                cluster.close();
            }
            tb.close();
            throw e;
        }
    }

    /** The selected pod on gateway node {@code node} (node2 or node3). */
    static String localPod(String node) {
        return "local-" + node.substring("node".length());
    }

    /** The gateway node carrying the policy's EIP now (its status). */
    String activeGateway() {
        Waits.until("policy " + POLICY + " to name its node", DEADLINE,
                () -> Resources.status(resources.get("EgressGatewayPolicy", POLICY), "node") != null);
        return String.valueOf(Resources.status(resources.get("EgressGatewayPolicy", POLICY), "node"));
    }

    /** Waits until a new connection from {@code pod} to the external host is seen from {@code address}. */
    void awaitSeen(String pod, String address) {
        String[] seen = new String[1];
        Waits.until(pod + " -> " + testbed.externalAddress() + " seen from " + address, DEADLINE, () -> {
            seen[0] = testbed.pod(pod).request(testbed.externalAddress(), testbed.echoPort(), Duration.ofSeconds(2))
                    .address();
            if (!address.equals(seen[0])) {
                throw new IllegalArgumentException("seen from " + seen[0]);
            }
            return true;
        });
    }

    /** A prober from {@code pod} to the external host's echo server. */
    Prober prober(String pod, Duration interval, Duration timeout) throws Exception {
        return Prober.start(testbed.pod(pod).netns(), testbed.externalAddress(), testbed.echoPort(), interval, timeout);
    }

    @Override
    public void close() {
        cluster.close();
        testbed.close();
    }
}
