package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A physical interface of a node and its addresses as CIDRs, reported by that node's agent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterfaceEntry {
    @Required
    @Size(max = Crds.INTERFACE_NAME_LENGTH)
    public String name;
    @Size(max = Crds.MAX_INTERFACE_ADDRESSES)
    public List<@Size(max = Crds.CIDR_LENGTH) String> ipv4;
    @Size(max = Crds.MAX_INTERFACE_ADDRESSES)
    public List<@Size(max = Crds.CIDR_LENGTH) String> ipv6;
}
