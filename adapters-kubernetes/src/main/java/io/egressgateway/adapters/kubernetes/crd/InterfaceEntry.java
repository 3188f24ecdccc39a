package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** A physical interface of a node and its addresses as CIDRs, reported by that node's agent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterfaceEntry {
    @Required
    public String name;
    public List<String> ipv4;
    public List<String> ipv6;
}
