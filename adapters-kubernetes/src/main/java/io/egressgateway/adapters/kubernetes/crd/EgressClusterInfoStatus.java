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
    /** Where each pod, service and extra CIDR came from: {@code ServiceCIDR/kubernetes}, {@code Node/n1}, ... */
    public List<Source> sources;
    public List<Condition> conditions;

    /** One CIDR of a network ({@code pod}, {@code service}, {@code extra}) and the objects or setting that gave it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Source {
        public String network;
        public String cidr;
        public String from;
    }
}
