package io.egressgateway.adapters.kubernetes.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The singleton {@code default}: the cluster's own networks, which never go to a gateway. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Plural("egressclusterinfos")
@ShortNames("egci")
@AdditionalPrinterColumn(name = "COMPLETE", jsonPath = ".status.complete", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// -o wide only (priority 1)
@AdditionalPrinterColumn(name = "POD-CIDRS", jsonPath = ".status.podCIDRs", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "SERVICE-CIDRS", jsonPath = ".status.serviceCIDRs", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class EgressClusterInfo extends CustomResource<Void, EgressClusterInfoStatus> {
    /** The one object agents watch. */
    public static final String DEFAULT_NAME = "default";
}
