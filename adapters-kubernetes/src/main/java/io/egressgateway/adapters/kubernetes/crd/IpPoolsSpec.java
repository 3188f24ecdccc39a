package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * {@code EgressGateway.spec.ippools}: entries are a single IP, an inclusive {@code a-b} range or a
 * CIDR. The schema checks only their shape and the cross-field rules; the webhook parses them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.ipv4DefaultEIP) || self.ipv4DefaultEIP == ''"
        + " || (has(self.ipv4) && size(self.ipv4) > 0)",
        message = "ipv4DefaultEIP needs a non-empty ipv4 pool", fieldPath = ".ipv4DefaultEIP")
@ValidationRule(value = "!has(self.ipv6DefaultEIP) || self.ipv6DefaultEIP == ''"
        + " || (has(self.ipv6) && size(self.ipv6) > 0)",
        message = "ipv6DefaultEIP needs a non-empty ipv6 pool", fieldPath = ".ipv6DefaultEIP")
public class IpPoolsSpec {
    @ValidationRule(value = "self.all(e, e.matches('^[0-9.]+(/[0-9]{1,2}|-[0-9.]+)?$'))",
            message = "every ipv4 entry is an IPv4 address, an a-b range or a CIDR")
    @Size(max = Crds.MAX_POOL_ENTRIES)
    public List<@Size(max = Crds.POOL_ENTRY_LENGTH) String> ipv4;
    @ValidationRule(value = "self.all(e, e.matches('^[0-9a-fA-F:.]+(/[0-9]{1,3}|-[0-9a-fA-F:.]+)?$'))",
            message = "every ipv6 entry is an IPv6 address, an a-b range or a CIDR")
    @Size(max = Crds.MAX_POOL_ENTRIES)
    public List<@Size(max = Crds.POOL_ENTRY_LENGTH) String> ipv6;
    @Size(max = Crds.IP_LENGTH)
    public String ipv4DefaultEIP;
    @Size(max = Crds.IP_LENGTH)
    public String ipv6DefaultEIP;
}
