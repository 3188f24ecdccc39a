package io.egressgateway.testbed.e2e;

import io.egressgateway.testbed.IptablesBackend;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Root;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.echo.EchoConnection;
import io.egressgateway.testbed.echo.EchoReply;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every end-to-end class shares: one testbed and one running cluster per class (building them
 * costs most of a class's time), the seed's example gateway, and "what did the external host see"
 * helpers that poll with a deadline instead of sleeping. The machine may be busy with other test
 * runs, hence the generous deadlines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
abstract class E2ESupport implements DumpOnFailure.HasCluster {
    static final Duration DEADLINE = Duration.ofSeconds(90);

    Testbed testbed;
    EgressCluster cluster;
    Resources resources;

    /** The testbed of this class (pods, gateway nodes). */
    abstract TestbedOptions options();

    /**
     * Extra settings of the processes ({@code EGW_...}). By default the heartbeat eviction timeout is
     * 60 s: on a loaded CI machine a gateway agent's Lease renewal can miss the default 5 s, and the
     * policy then fails over mid-test; only {@link FailoverE2EIT}, whose subject that is, keeps 5 s.
     */
    Map<String, String> settings() {
        return Map.of("EGW_HEARTBEAT_EVICTIONTIMEOUT", "60s");
    }

    /**
     * The iptables backend of this class's nodes. testbed.md asks for both backends across runs: most
     * classes run on nft, a few on legacy ({@link #backend()} overridden), and the system property
     * {@code egw.e2e.backend=nft|legacy} puts the whole suite on one.
     */
    IptablesBackend backend() {
        return IptablesBackend.NFT;
    }

    private IptablesBackend chosenBackend() {
        String forced = System.getProperty("egw.e2e.backend", "").strip();
        if (forced.isEmpty()) {
            return backend();
        }
        for (IptablesBackend b : IptablesBackend.values()) {
            if (b.name().equalsIgnoreCase(forced)) {
                return b;
            }
        }
        throw new IllegalArgumentException("egw.e2e.backend=" + forced + ": expected one of nft, legacy");
    }

    /** How the product's JVMs are started: the tests' roomy flags unless a class measures production's. */
    EgressCluster.Launch launch() {
        return EgressCluster.Launch.testing();
    }

    /** Creates this class's custom resources; runs once the cluster is up. */
    abstract void setUp();

    @BeforeAll
    void start() {
        Root.assumeRoot();
        testbed = Testbed.build(options().withBackend(chosenBackend()));
        try {
            cluster = EgressCluster.start(testbed, settings(), launch());
            resources = new Resources(testbed.client());
            setUp();
        } catch (RuntimeException | Error e) {
            DumpOnFailure.dump(getClass().getSimpleName() + " setup", e, testbed, cluster);
            throw e;
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (testbed != null) {
            testbed.close();
        }
    }

    @Override
    public EgressCluster cluster() {
        return cluster;
    }

    /** The seed's example gateway (pool 192.0.2.200-210, nodes labelled egress=true), once elected. */
    void createExampleGateway() {
        resources.create(ProjectPaths.find("deploy/examples/gateway.yaml"));
        resources.awaitGatewayElected("default");
    }

    /** The seed's example gateway and policy {@code shop} (pods labelled app=shopping); returns the policy's EIP. */
    String createExamplePolicy() {
        createExampleGateway();
        resources.create(ProjectPaths.find("deploy/examples/policy.yaml"));
        return awaitPolicyStatus("shop", "eip", "ipv4");
    }

    /** A policy on the example gateway for pods labelled {@code app=<app>} to the external host. */
    static String policyYaml(String name, String app, String mode, int priority) {
        return """
                apiVersion: egressgateway.spidernet.io/v1
                kind: EgressGatewayPolicy
                metadata:
                  name: %s
                spec:
                  egressGatewayName: default
                  appliedTo:
                    podSelector:
                      matchLabels:
                        app: %s
                  destCIDR:
                  - 192.0.2.100/32
                  egressIP:
                    mode: %s
                  priority: %d
                """.formatted(name, app, mode, priority);
    }

    /** Waits until policy {@code name} has a status field at {@code path}; returns it as text. */
    String awaitPolicyStatus(String name, String... path) {
        Waits.until("policy " + name + " to have status " + String.join(".", path), DEADLINE,
                () -> Resources.status(resources.get("EgressGatewayPolicy", name), path) != null);
        return String.valueOf(Resources.status(resources.get("EgressGatewayPolicy", name), path));
    }

    /** The source address the external host sees for a new connection from {@code pod} (retried until it connects). */
    String seenFrom(String pod, String host) {
        EchoReply[] last = new EchoReply[1];
        Waits.until(pod + " to reach " + host, DEADLINE, () -> {
            last[0] = testbed.pod(pod).request(host, testbed.echoPort(), Duration.ofSeconds(2));
            return true;
        });
        return last[0].address();
    }

    /** Waits until a new connection from {@code pod} to the external host is seen from {@code expected}. */
    void eventuallySeen(String pod, String expected) {
        eventuallySeen(pod, () -> expected);
    }

    /** Like {@link #eventuallySeen(String, String)}, the expected address read again on every try. */
    void eventuallySeen(String pod, Supplier<String> expected) {
        Waits.until(pod + " -> " + testbed.externalAddress() + " seen from the expected address", DEADLINE, () -> {
            String want = expected.get();
            String seen = testbed.pod(pod).request(testbed.externalAddress(), testbed.echoPort(), Duration.ofSeconds(2))
                    .address();
            if (!want.equals(seen)) {
                throw new IllegalArgumentException("seen from " + seen + ", expected " + want);
            }
            return true;
        });
    }

    /** A long-lived connection from {@code pod} to the external host, opened once new ones are seen from it. */
    EchoConnection openFlow(String pod, String expected) throws Exception {
        eventuallySeen(pod, expected);
        EchoConnection c = testbed.pod(pod).connect(testbed.externalAddress(), testbed.echoPort());
        String first = c.request(Duration.ofSeconds(5)).address();
        if (!expected.equals(first)) {
            c.close();
            throw new IllegalStateException("the long-lived flow from " + pod + " started from " + first
                    + ", not " + expected);
        }
        return c;
    }

    /** Text output of {@code argv} run in node {@code node}'s namespace (fails when the command fails). */
    String onNode(String node, String... argv) {
        return testbed.exec(testbed.nodeNetns(node), argv).stdout();
    }

    /** The iptables of this testbed's backend (the one the agent uses, see IptablesBackend). */
    String iptables() {
        return testbed.options().backend().iptables(false);
    }

    String iptablesSave(String node) {
        return onNode(node, testbed.options().backend().save(false));
    }
}
