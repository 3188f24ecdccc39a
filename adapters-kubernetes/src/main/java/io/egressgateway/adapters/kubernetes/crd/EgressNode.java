package io.egressgateway.adapters.kubernetes.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Tunnel facts of one node; same name as its Node. Created by the controller, status only. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Plural("egressnodes")
@ShortNames("egn")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "TUNNEL-IPV4", jsonPath = ".status.vxlanIPv4IP", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "TUNNEL-IPV6", jsonPath = ".status.vxlanIPv6IP", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "MAC", jsonPath = ".status.tunnelMac", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PARENT", jsonPath = ".status.physicalInterface", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// -o wide only (priority 1)
@AdditionalPrinterColumn(name = "PARENT-IPV4", jsonPath = ".status.physicalInterfaceIPv4", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "PARENT-IPV6", jsonPath = ".status.physicalInterfaceIPv6", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "MARK", jsonPath = ".status.mark", type = AdditionalPrinterColumn.Type.STRING, priority = 1,
        getDescription = "fwmark and route table that steer traffic to this node")
public class EgressNode extends CustomResource<Void, EgressNodeStatus> {
}
