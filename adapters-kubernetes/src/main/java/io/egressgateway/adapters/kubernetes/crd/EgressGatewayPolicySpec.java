package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** {@code EgressGatewayPolicy.spec}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressGatewayPolicySpec {
    /** Empty: the clusterDefault gateway (the mutating webhook fills it in). Immutable once set. */
    @ValidationRule(value = "self == oldSelf", message = "egressGatewayName is immutable")
    @Size(max = Crds.NAME_LENGTH)
    public String egressGatewayName;
    @Required
    public AppliedToSpec appliedTo;
    @ValidationRule(value = "self.all(c, c.matches('^[0-9a-fA-F:.]+/[0-9]{1,3}$'))",
            message = "every destCIDR entry is a CIDR such as 10.6.1.0/24")
    @Size(max = Crds.MAX_CIDRS)
    public List<@Size(max = Crds.CIDR_LENGTH) String> destCIDR;
    public EgressIpSpec egressIP;
    public Integer priority;

    /** Exactly one of podSelector / podSubnet; namespaceSelector only with podSelector. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.podSelector) != has(self.podSubnet)",
            message = "appliedTo needs exactly one of podSelector and podSubnet")
    @ValidationRule(value = "!has(self.namespaceSelector) || has(self.podSelector)",
            message = "appliedTo.namespaceSelector is only allowed together with podSelector",
            fieldPath = ".namespaceSelector")
    public static class AppliedToSpec {
        @SchemaFrom(type = LabelSelectorSchema.class)
        public LabelSelector podSelector;
        @SchemaFrom(type = LabelSelectorSchema.class)
        public LabelSelector namespaceSelector;
        @ValidationRule(value = "size(self) > 0", message = "podSubnet must list at least one CIDR")
        @ValidationRule(value = "self.all(c, c.matches('^[0-9a-fA-F:.]+/[0-9]{1,3}$'))",
                message = "every podSubnet entry is a CIDR such as 10.244.0.0/16")
        @Size(max = Crds.MAX_CIDRS)
        public List<@Size(max = Crds.CIDR_LENGTH) String> podSubnet;
    }

    /**
     * How the traffic is source-NATed; mode, ipv4 and ipv6 are immutable once set. A missing mode is
     * defaulted (EgressIP when the pool is non-empty), so pinned IPs are refused only with another mode.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!has(self.mode) || self.mode == 'EgressIP'"
            + " || ((!has(self.ipv4) || self.ipv4 == '') && (!has(self.ipv6) || self.ipv6 == ''))",
            message = "egressIP.ipv4 and egressIP.ipv6 are only allowed with mode EgressIP")
    public static class EgressIpSpec {
        @ValidationRule(value = "self == oldSelf", message = "egressIP.mode is immutable")
        @io.fabric8.generator.annotation.Pattern("^(EgressIP|NodeIP|None)$")
        @Size(max = 8)
        public String mode;
        @ValidationRule(value = "self == oldSelf", message = "egressIP.ipv4 is immutable")
        @ValidationRule(value = "self == '' || !self.contains(':')", message = "egressIP.ipv4 must be an IPv4 address")
        @Size(max = Crds.IP_LENGTH)
        public String ipv4;
        @ValidationRule(value = "self == oldSelf", message = "egressIP.ipv6 is immutable")
        @ValidationRule(value = "self == '' || self.contains(':')", message = "egressIP.ipv6 must be an IPv6 address")
        @Size(max = Crds.IP_LENGTH)
        public String ipv6;
        @io.fabric8.generator.annotation.Pattern("^(default|rr)$")
        @Size(max = 7)
        public String allocatorPolicy;
    }
}
