package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.kube.Identities;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The controller is down (its webhooks with it): the API server refuses policy writes with its
 * failurePolicy message, nothing else breaks (the datapath keeps the EIP, the agents keep renewing),
 * and once the controller is back the same write succeeds.
 */
class WebhookDownE2EIT extends E2ESupport {
    private String eip;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("other-1", 1, Map.of("app", "other")).build();
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
    }

    @Test
    void policyWritesFailWhileTheControllerIsDownAndSucceedOnceItIsBack() {
        eventuallySeen("shop-1", eip);
        ZonedDateTime before = renewTime("node2");
        cluster.stopController();

        KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
                () -> resources.create(policyYaml("later", "other", "EgressIP", 5)));
        assertThat(refused).as("a policy write with the controller down").isNotNull();
        assertThat(refused.getMessage()).contains("failed calling webhook")
                .contains("mutate-egressgatewaypolicy.egressgateway.spidernet.io");
        assertThat(resources.get("EgressGatewayPolicy", "later")).isNull();

        // nothing else breaks: traffic keeps its EIP, agents keep renewing, other kinds are still writable
        eventuallySeen("shop-1", eip);
        waitFor("node2's agent to renew its Lease with the controller down", () -> renewTime("node2").isAfter(before));
        testbed.client().configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("unrelated").endMetadata().build()).create();

        cluster.restartController();
        resources.create(policyYaml("later", "other", "EgressIP", 5));
        String laterEip = awaitPolicyStatus("later", "eip", "ipv4");
        eventuallySeen("other-1", laterEip);
        eventuallySeen("shop-1", eip);
    }

    private ZonedDateTime renewTime(String node) {
        Lease l = testbed.client().leases().inNamespace(Identities.NAMESPACE).withName("egress-node-" + node).get();
        return l == null || l.getSpec().getRenewTime() == null ? ZonedDateTime.now().minusYears(1) : l.getSpec().getRenewTime();
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) {
        io.egressgateway.testbed.cluster.Waits.until(what, DEADLINE, condition::getAsBoolean);
    }
}
