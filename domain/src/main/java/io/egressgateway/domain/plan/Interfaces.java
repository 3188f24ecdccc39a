package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.InterfaceFacts;
import io.egressgateway.domain.datapath.NodeFacts;
import io.egressgateway.domain.net.Family;

/** Finds the interface an EIP is answered on: the one whose subnet holds it (the most specific). */
final class Interfaces {
    private Interfaces() {
    }

    static String deviceFor(NodeFacts facts, PlannerSettings settings, String eip, Family f) {
        byte[] ip = Addr.parse(eip);
        String best = null;
        int bestPrefix = -1;
        for (InterfaceFacts i : facts.interfaces()) {
            if (i.name().startsWith(settings.devicePrefix())) {
                continue;
            }
            for (String c : f == Family.IPV4 ? i.ipv4() : i.ipv6()) {
                Addr.Net n = Addr.net(c);
                boolean better = n.prefix() > bestPrefix || (n.prefix() == bestPrefix && i.name().compareTo(best) < 0);
                if (n.contains(ip) && better) {
                    best = i.name();
                    bestPrefix = n.prefix();
                }
            }
        }
        if (best != null) {
            return best;
        }
        String fallback = PlannerSettings.AUTO.equals(settings.parentInterface())
                ? (f == Family.IPV4 ? facts.defaultRouteDeviceV4() : facts.defaultRouteDeviceV6())
                : settings.parentInterface();
        return fallback;
    }
}
