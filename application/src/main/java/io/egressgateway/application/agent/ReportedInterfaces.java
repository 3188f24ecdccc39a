package io.egressgateway.application.agent;

import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.datapath.TunnelLink;
import io.egressgateway.domain.model.NodeInterface;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of the node's interfaces the agent reports in its EgressNode's status (and the controller
 * copies into every gateway's node list, which every agent watches): only the underlay, i.e. the
 * tunnels' parent devices, the default-route devices (the parent before a tunnel is planned) and
 * the devices the node answers its EIPs on. Never a pod's veth, a bridge, the tunnel devices or
 * {@code lo}: a node with 100 pods reported 41 interfaces and made a gateway object 19 KB, and
 * nothing reads those (docs/agent.md, "What the agent reports").
 */
final class ReportedInterfaces {
    private ReportedInterfaces() {
    }

    static List<NodeInterface> of(Datapath desired, NodeFacts facts) {
        List<TunnelLink> links = desired.ofType(TunnelLink.class);
        Set<String> wanted = new TreeSet<>();
        links.forEach(l -> wanted.add(l.parent()));
        desired.ofType(EipAnnouncement.class).forEach(a -> wanted.add(a.device()));
        for (String d : new String[] {facts.defaultRouteDeviceV4(), facts.defaultRouteDeviceV6()}) {
            if (d != null && !d.isEmpty()) {
                wanted.add(d);
            }
        }
        wanted.remove("lo");
        links.forEach(l -> wanted.remove(l.name()));
        return facts.interfaces().stream().filter(i -> wanted.contains(i.name()))
                .map(i -> new NodeInterface(i.name(), i.ipv4(), i.ipv6())).toList();
    }
}
