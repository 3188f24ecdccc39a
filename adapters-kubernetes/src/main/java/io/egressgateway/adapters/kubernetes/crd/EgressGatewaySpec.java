package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** {@code EgressGateway.spec}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressGatewaySpec {
    @Required
    @ValidationRule(value = "(has(self.matchLabels) && size(self.matchLabels) > 0)"
            + " || (has(self.matchExpressions) && size(self.matchExpressions) > 0)",
            message = "nodeSelector must not be empty: it would make every node a gateway")
    @SchemaFrom(type = LabelSelectorSchema.class)
    public LabelSelector nodeSelector;
    public IpPoolsSpec ippools;
    /** At most one gateway may be true (the webhook checks across objects); policies naming no gateway use it. */
    public Boolean clusterDefault;
}
