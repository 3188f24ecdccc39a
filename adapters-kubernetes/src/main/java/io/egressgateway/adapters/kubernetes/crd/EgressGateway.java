package io.egressgateway.adapters.kubernetes.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A set of candidate gateway nodes (by label selector) and the egress IPs they may carry. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Plural("egressgateways")
@ShortNames("egw")
@AdditionalPrinterColumn(name = "NODES", jsonPath = ".status.readyNodes", type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Ready nodes / nodes matched by nodeSelector")
@AdditionalPrinterColumn(name = "ACTIVE", jsonPath = ".status.activeNodes", type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "Nodes carrying traffic now")
@AdditionalPrinterColumn(name = "IPV4-FREE", jsonPath = ".status.ipUsage.ipv4Free",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "IPV6-FREE", jsonPath = ".status.ipUsage.ipv6Free",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "FORWARD", jsonPath = ".status.forwardMethod", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// -o wide only (priority 1): detail a newcomer does not need for the first look
@AdditionalPrinterColumn(name = "DEFAULT", jsonPath = ".spec.clusterDefault", type = AdditionalPrinterColumn.Type.BOOLEAN,
        priority = 1, getDescription = "The cluster default gateway (policies naming no gateway use it)")
@AdditionalPrinterColumn(name = "IPV4-TOTAL", jsonPath = ".status.ipUsage.ipv4Total",
        type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "IPV6-TOTAL", jsonPath = ".status.ipUsage.ipv6Total",
        type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "MARK", jsonPath = ".status.mark", type = AdditionalPrinterColumn.Type.STRING, priority = 1,
        getDescription = "active-active only: fwmark and route table of the multipath route")
public class EgressGateway extends CustomResource<EgressGatewaySpec, EgressGatewayStatus> {
}
