package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * Up to maxEndpointsPerSlice pods that one policy selects, so that agents watch small slices instead
 * of every Pod. Written by the controller only; labelled with {@link Crds#POLICY_LABEL} and owned by
 * the policy (garbage-collected with it). Like discovery.k8s.io EndpointSlices, the payload is a
 * top-level {@code endpoints} list, not a spec.
 */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Plural("egressendpointslices")
@ShortNames("egep")
@AdditionalPrinterColumn(name = "POLICY", jsonPath = ".metadata.labels.egressgateway\\.spidernet\\.io/policy",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EgressEndpointSlice extends CustomResource<Void, Void> {
    @Size(max = 1000)
    public List<EndpointEntry> endpoints;

    /** One selected pod. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EndpointEntry {
        @Required
        public String namespace;
        @Required
        public String pod;
        public String node;
        public List<String> ipv4;
        public List<String> ipv6;
    }
}
