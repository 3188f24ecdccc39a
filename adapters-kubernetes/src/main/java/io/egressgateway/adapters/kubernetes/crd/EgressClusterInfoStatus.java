package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** {@code EgressClusterInfo.status}: while {@code complete} is false, ClusterCIDRsIncomplete is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressClusterInfoStatus {
    public List<String> podCIDRs;
    public List<String> serviceCIDRs;
    public List<String> nodeIPs;
    public List<String> tunnelCIDRs;
    public List<String> eipPools;
    public List<String> always;
    public List<String> extraCIDRs;
    public Boolean complete;
    public List<Condition> conditions;
}
