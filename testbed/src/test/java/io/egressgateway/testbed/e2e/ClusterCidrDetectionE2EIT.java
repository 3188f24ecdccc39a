package io.egressgateway.testbed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.echo.EchoServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster's own networks are detected, with no {@code cluster.*CIDRs} setting (EgressCluster
 * passes none): the service range from the API server's ServiceCIDR object {@code kubernetes},
 * pod CIDRs from the Nodes and from a Calico IPPool whose CRD (a minimal one, installed here after
 * the controller started) appears later. A policy with an empty destCIDR then keeps a selected pod's
 * traffic to a Service address, to another pod and to an address in the IPPool's range off the
 * gateway (those leave as without a policy: the node's address, or the pod's own to a pod), while
 * its traffic to the external host leaves with the EIP.
 *
 * <p>The Service and IPPool addresses are extra addresses of the external host (the nodes' default
 * route leads there), so a wrong exclusion shows as the EIP at the echo server.
 */
class ClusterCidrDetectionE2EIT extends E2ESupport {
    static final String POOL_CIDR = "10.250.0.0/16";
    static final String POOL_ADDRESS = "10.250.0.10";
    static final String SERVICE_ADDRESS = "10.96.0.10";
    static final ResourceDefinitionContext IPPOOL = new ResourceDefinitionContext.Builder()
            .withGroup("crd.projectcalico.org").withVersion("v1").withKind("IPPool").withPlural("ippools")
            .withNamespaced(false).build();

    private String eip;
    private EchoServer podEcho;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping"))
                .pod("target-1", 2, Map.of("app", "target")).build();
    }

    @Override
    void setUp() {
        createExampleGateway();
        resources.create("""
                apiVersion: egressgateway.spidernet.io/v1
                kind: EgressGatewayPolicy
                metadata:
                  name: everything-outside
                spec:
                  egressGatewayName: default
                  appliedTo:
                    podSelector:
                      matchLabels:
                        app: shopping
                """);
        eip = awaitPolicyStatus("everything-outside", "eip", "ipv4");
        testbed.exec(testbed.externalNetns(), "ip", "addr", "add", SERVICE_ADDRESS + "/32", "dev", "eth0");
        testbed.exec(testbed.externalNetns(), "ip", "addr", "add", POOL_ADDRESS + "/32", "dev", "eth0");
        try {
            podEcho = EchoServer.start(testbed.pod("target-1").netns(), testbed.echoPort());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start an echo server in pod target-1: " + e, e);
        }
        installCalicoPool();
    }

    /** A minimal IPPool CRD (the fields the product reads) and one pool, as Calico's installer would. */
    private void installCalicoPool() {
        CustomResourceDefinition crd = testbed.client().getKubernetesSerialization().unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: ippools.crd.projectcalico.org
                spec:
                  group: crd.projectcalico.org
                  scope: Cluster
                  names: {kind: IPPool, listKind: IPPoolList, plural: ippools, singular: ippool}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                """, CustomResourceDefinition.class);
        testbed.client().apiextensions().v1().customResourceDefinitions().resource(crd).create();
        Waits.until("the IPPool CRD to be served", DEADLINE, () -> testbed.client().getApiResources("crd.projectcalico.org/v1") != null);
        testbed.client().genericKubernetesResources(IPPOOL).resource(new GenericKubernetesResource() {
            {
                setApiVersion("crd.projectcalico.org/v1");
                setKind("IPPool");
                setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("extra-pool").build());
                setAdditionalProperty("spec", Map.of("cidr", POOL_CIDR, "natOutgoing", true));
            }
        }).create();
    }

    @AfterAll
    void stopPodEcho() {
        if (podEcho != null) {
            podEcho.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void detectedNetworksAppearWithTheirSourcesAndStayOffTheGateway() throws Exception {
        Waits.until("EgressClusterInfo to list the ServiceCIDR, the Nodes and the IPPool as sources", DEADLINE, () -> {
            List<Map<String, Object>> sources = sources();
            return has(sources, "service", "10.96.0.0/12", "ServiceCIDR/kubernetes")
                    && has(sources, "pod", "10.244.1.0/24", "Node/node1")
                    && has(sources, "pod", "10.244.2.0/24", "Node/node2")
                    && has(sources, "pod", POOL_CIDR, "IPPool/extra-pool");
        });
        GenericKubernetesResource info = resources.get("EgressClusterInfo", "default");
        assertThat(Resources.status(info, "complete")).isEqualTo(true);
        assertThat((List<Object>) Resources.status(info, "serviceCIDRs")).containsExactly("10.96.0.0/12");
        assertThat((List<Object>) Resources.status(info, "podCIDRs")).contains("10.244.1.0/24", "10.244.2.0/24",
                "10.244.3.0/24", POOL_CIDR);

        String shop = "shop-1";
        String node1 = testbed.nodeAddress("node1");
        eventuallySeen(shop, eip);
        // the agents apply the new exclusions a moment after the status changed: wait for each
        awaitSeen(shop, SERVICE_ADDRESS, testbed.echoPort(), node1);
        awaitSeen(shop, POOL_ADDRESS, testbed.echoPort(), node1);
        awaitSeen(shop, testbed.pod("target-1").ipv4(), podEcho.port(), testbed.pod(shop).ipv4());
        // and the policy still holds for what is outside the cluster
        assertThat(seenFrom(shop, testbed.externalAddress())).isEqualTo(eip);
        assertThat(testbed.pod(shop).request(SERVICE_ADDRESS, testbed.echoPort(), Duration.ofSeconds(5)).address())
                .isEqualTo(node1);
    }

    private void awaitSeen(String pod, String host, int port, String expected) {
        Waits.until(pod + " -> " + host + " seen from " + expected, DEADLINE, () -> {
            String seen = testbed.pod(pod).request(host, port, Duration.ofSeconds(2)).address();
            if (!expected.equals(seen)) {
                throw new IllegalArgumentException("seen from " + seen + ", expected " + expected);
            }
            return true;
        });
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> sources() {
        Object s = Resources.status(resources.get("EgressClusterInfo", "default"), "sources");
        return s instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static boolean has(List<Map<String, Object>> sources, String network, String cidr, String from) {
        return sources.stream().anyMatch(m -> network.equals(m.get("network")) && cidr.equals(m.get("cidr"))
                && String.valueOf(m.get("from")).contains(from));
    }
}
