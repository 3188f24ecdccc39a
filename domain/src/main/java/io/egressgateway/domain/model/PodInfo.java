package io.egressgateway.domain.model;

import java.util.List;
import java.util.Map;

/**
 * A Pod as endpoint selection sees it. {@code terminated} is true for phases Succeeded and Failed
 * (and pods being deleted); such pods, hostNetwork pods and pods without IPs are never endpoints.
 */
public record PodInfo(String namespace, String name, Map<String, String> labels, String nodeName, List<String> ips,
                      boolean hostNetwork, boolean terminated) {
    public PodInfo {
        labels = Map.copyOf(labels);
        ips = List.copyOf(ips);
    }
}
