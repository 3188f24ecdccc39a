package io.egressgateway.adapters.kubernetes.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Which pods' traffic to which destinations leaves through which gateway, with which source IP. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Plural("egressgatewaypolicies")
@ShortNames("egwp")
@AdditionalPrinterColumn(name = "GATEWAY", jsonPath = ".spec.egressGatewayName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "MODE", jsonPath = ".spec.egressIP.mode", type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "EgressIP, NodeIP or None (defaulted by the mutating webhook)")
@AdditionalPrinterColumn(name = "EIPV4", jsonPath = ".status.eip.ipv4", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "EIPV6", jsonPath = ".status.eip.ipv6", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".status.node", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "ENDPOINTS", jsonPath = ".status.endpoints", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "PROGRAMMED", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].message",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// -o wide only (priority 1)
@AdditionalPrinterColumn(name = "NODES", jsonPath = ".status.nodes", type = AdditionalPrinterColumn.Type.STRING, priority = 1,
        getDescription = "active-active with mode NodeIP/None: every gateway node carrying the policy")
@AdditionalPrinterColumn(name = "PRIORITY", jsonPath = ".spec.priority", type = AdditionalPrinterColumn.Type.INTEGER,
        priority = 1)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
public class EgressGatewayPolicy extends CustomResource<EgressGatewayPolicySpec, EgressGatewayPolicyStatus> {
}
