package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * {@code EgressNode.status}. Two writers, disjoint fields: the controller writes phase, tunnel
 * addresses, MAC, mark and the Allocated condition; the node's agent writes the physical interface
 * fields, {@code interfaces} and the TunnelReady condition. Which policy generations the agent has
 * programmed is not here: every agent watches EgressNodes, so it lives on the node's Lease, which
 * only the controller watches (see docs/controller.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressNodeStatus {
    @Pattern("^(Pending|Init|Succeeded|Failed|HeartbeatTimeout)$")
    public String phase;
    public String vxlanIPv4IP;
    public String vxlanIPv6IP;
    @Pattern("^([0-9a-f]{2}:){5}[0-9a-f]{2}$")
    public String tunnelMac;
    @Pattern(Crds.MARK_PATTERN)
    public String mark;
    @Size(max = Crds.INTERFACE_NAME_LENGTH)
    public String physicalInterface;
    @Size(max = Crds.IP_LENGTH)
    public String physicalInterfaceIPv4;
    @Size(max = Crds.IP_LENGTH)
    public String physicalInterfaceIPv6;
    @Size(max = Crds.MAX_INTERFACES)
    public List<InterfaceEntry> interfaces;
    public List<Condition> conditions;
}
