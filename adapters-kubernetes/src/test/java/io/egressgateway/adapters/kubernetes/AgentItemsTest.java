package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.egressgateway.adapters.kubernetes.mapping.ResourceMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent's informers trim what they store ({@link AgentItems}): what the agent maps must be what
 * it mapped from the whole object, but for the statuses' conditions, which it never reads.
 */
class AgentItemsTest {
    private static final String META = """
              resourceVersion: "4711"
              generation: 3
              uid: 0f0e0d0c-0000-4000-8000-000000000001
              creationTimestamp: "2026-12-03T02:41:57Z"
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: '{"a whole copy":"of the object"}'
              finalizers: [egressgateway.spidernet.io/cleanup]
              managedFields: [{manager: kubectl, operation: Update}]
            """;

    private static final String POLICY = """
            apiVersion: egressgateway.spidernet.io/v1
            kind: EgressGatewayPolicy
            metadata:
              name: fp-7
              labels: {team: shop}
            """ + META + """
            spec:
              egressGatewayName: default
              appliedTo: {podSelector: {matchLabels: {footprint: p7}}}
              destCIDR: [198.18.0.7/32]
              egressIP: {ipv4: 192.0.2.200}
              priority: 5
            status:
              observedGeneration: 3
              eip: {ipv4: 192.0.2.200}
              node: node2
              nodes: [node2, node3]
              endpoints: 10
              conditions:
              - {type: Programmed, status: "True", reason: AllNodesProgrammed, message: 3/3 nodes,
                 lastTransitionTime: "2026-12-03T02:41:57Z"}
            """;

    private static final String GATEWAY = """
            apiVersion: egressgateway.spidernet.io/v1
            kind: EgressGateway
            metadata:
              name: default
            """ + META + """
            spec:
              nodeSelector: {matchLabels: {egress: "true"}}
              ippools: {ipv4: [192.0.2.200-192.0.2.210], ipv4DefaultEIP: 192.0.2.200}
              clusterDefault: true
            status:
              observedGeneration: 3
              forwardMethod: ActivePassive
              readyNodes: 2/2
              activeNodes: node2
              mark: "0x26000001"
              nodeList:
              - name: node2
                status: Ready
                active: true
                interfaces: [{name: eth0, ipv4: [10.6.0.12/16]}]
                eips: [{ipv4: 192.0.2.200, policies: [{name: fp-7}, {name: fp-8}]}]
              - {name: node3, status: Ready}
              conditions:
              - {type: Ready, status: "True", reason: GatewayNodeReady, lastTransitionTime: "2026-12-03T02:41:57Z"}
            """;

    private static final String SLICE = """
            apiVersion: egressgateway.spidernet.io/v1
            kind: EgressEndpointSlice
            metadata:
              name: fp-7-abcde
              namespace: egressgateway
              labels: {egressgateway.spidernet.io/policy: fp-7, other: label}
              ownerReferences:
              - {apiVersion: egressgateway.spidernet.io/v1, kind: EgressGatewayPolicy, name: fp-7,
                 uid: 0f0e0d0c-0000-4000-8000-000000000002, controller: true}
            """ + META + """
            endpoints:
            - {namespace: default, pod: web-1, node: node1, ipv4: [10.244.1.7], ipv6: ["fd00:10:244:1::7"]}
            - {namespace: default, pod: web-2, node: node2, ipv4: [10.244.2.9]}
            """;

    private static final String NODE = """
            apiVersion: egressgateway.spidernet.io/v1
            kind: EgressNode
            metadata:
              name: node2
              labels: {kubernetes.io/hostname: node2}
            """ + META + """
            status:
              phase: Succeeded
              vxlanIPv4IP: 10.6.255.2
              tunnelMac: 66:00:00:00:00:02
              mark: "0x26000002"
              physicalInterface: eth0
              physicalInterfaceIPv4: 10.6.0.12
              interfaces: [{name: eth0, ipv4: [10.6.0.12/16]}]
              conditions:
              - {type: TunnelReady, status: "True", reason: Ready, lastTransitionTime: "2026-12-03T02:41:57Z"}
            """;

    private static <T extends HasMetadata> T read(String yaml, Class<T> type) {
        return Serialization.unmarshal(yaml, type);
    }

    @Test
    void aTrimmedPolicyMapsAsTheWholeOneButForItsConditions() {
        EgressGatewayPolicy whole = read(POLICY, EgressGatewayPolicy.class);
        EgressGatewayPolicy trimmed = AgentItems.trim(read(POLICY, EgressGatewayPolicy.class));
        assertThat(ResourceMapping.policy(trimmed)).usingRecursiveComparison().ignoringFields("status.conditions")
                .isEqualTo(ResourceMapping.policy(whole));
        assertThat(ResourceMapping.policy(whole).status().conditions()).isNotEmpty();
        assertThat(trimmed.getStatus().conditions).isNull();
        assertMetadataTrimmed(trimmed, "fp-7", null);
    }

    @Test
    void aTrimmedGatewayMapsAsTheWholeOneButForItsConditions() {
        EgressGateway whole = read(GATEWAY, EgressGateway.class);
        EgressGateway trimmed = AgentItems.trim(read(GATEWAY, EgressGateway.class));
        assertThat(ResourceMapping.gateway(trimmed)).usingRecursiveComparison().ignoringFields("status.conditions")
                .isEqualTo(ResourceMapping.gateway(whole));
        assertThat(ResourceMapping.gateway(trimmed).status().nodeList().get(0).eips().get(0).policies())
                .containsExactly("fp-7", "fp-8");
        assertThat(trimmed.getStatus().readyNodes).isNull();
        assertMetadataTrimmed(trimmed, "default", null);
    }

    @Test
    void aTrimmedSliceMapsExactlyAsTheWholeOne() {
        EgressEndpointSlice whole = read(SLICE, EgressEndpointSlice.class);
        EgressEndpointSlice trimmed = AgentItems.trim(read(SLICE, EgressEndpointSlice.class));
        assertThat(ResourceMapping.slice(trimmed)).isEqualTo(ResourceMapping.slice(whole));
        assertThat(ResourceMapping.slice(trimmed).policy()).isEqualTo("fp-7");
        assertMetadataTrimmed(trimmed, "fp-7-abcde", "egressgateway");
        assertThat(trimmed.getMetadata().getLabels()).containsExactly(Map.entry("egressgateway.spidernet.io/policy", "fp-7"));
        assertThat(trimmed.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(trimmed.endpoints.get(0).ipv4).isEqualTo(java.util.List.of("10.244.1.7"))
                .isNotInstanceOf(java.util.ArrayList.class);
    }

    @Test
    void aSliceWithANullAddressIsStoredAsParsed() {
        EgressEndpointSlice s = read(SLICE.replace("ipv4: [10.244.2.9]", "ipv4: [null]"), EgressEndpointSlice.class);
        AgentItems.trim(s);
        assertThat(s.endpoints.get(1).ipv4).containsExactly((String) null);
    }

    @Test
    void aTrimmedEgressNodeMapsAsTheWholeOneButForItsConditions() {
        EgressNode whole = read(NODE, EgressNode.class);
        EgressNode trimmed = AgentItems.trim(read(NODE, EgressNode.class));
        assertThat(ResourceMapping.egressNode(trimmed, Map.of())).usingRecursiveComparison()
                .ignoringFields("conditions").isEqualTo(ResourceMapping.egressNode(whole, Map.of()));
        assertThat(ResourceMapping.egressNode(whole, Map.of()).conditions()).isNotEmpty();
        assertMetadataTrimmed(trimmed, "node2", null);
        assertThat(trimmed.getMetadata().getLabels()).isNullOrEmpty();
    }

    @Test
    void stringsThatRepeatAcrossObjectsAreSharedAndTheStoreKeyIsUnchanged() {
        EgressEndpointSlice a = read(SLICE, EgressEndpointSlice.class);
        EgressEndpointSlice b = read(SLICE.replace("fp-7-abcde", "fp-7-fghij"), EgressEndpointSlice.class);
        assertThat(a.endpoints.get(0).node).isNotSameAs(b.endpoints.get(0).node);
        SlimItemStore<EgressEndpointSlice> store = new SlimItemStore<>(AgentItems::trim);
        store.put(store.getKey(a), a);
        store.put(store.getKey(b), b);
        EgressEndpointSlice first = store.get("egressgateway/fp-7-abcde");
        EgressEndpointSlice second = store.get("egressgateway/fp-7-fghij");
        assertThat(first.endpoints.get(0).node).isSameAs(second.endpoints.get(0).node);
        assertThat(first.endpoints.get(0).namespace).isSameAs(second.endpoints.get(1).namespace);
        assertThat(first.getMetadata().getLabels().get("egressgateway.spidernet.io/policy"))
                .isSameAs(second.getMetadata().getLabels().get("egressgateway.spidernet.io/policy"));
        assertThat(store.size()).isEqualTo(2);
    }

    private static void assertMetadataTrimmed(HasMetadata o, String name, String namespace) {
        var m = o.getMetadata();
        assertThat(m.getName()).isEqualTo(name);
        assertThat(m.getNamespace()).isEqualTo(namespace);
        assertThat(m.getResourceVersion()).isEqualTo("4711");
        assertThat(m.getGeneration()).isEqualTo(3L);
        assertThat(m.getUid()).isNull();
        assertThat(m.getCreationTimestamp()).isNull();
        assertThat(m.getAnnotations()).isNullOrEmpty();
        assertThat(m.getFinalizers()).isNullOrEmpty();
        assertThat(m.getManagedFields()).isNullOrEmpty();
    }
}
