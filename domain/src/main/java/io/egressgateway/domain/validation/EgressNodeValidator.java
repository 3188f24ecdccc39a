package io.egressgateway.domain.validation;

import io.egressgateway.domain.model.EgressNode;
import io.egressgateway.domain.model.NodeInterface;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.InterfaceAddress;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fields of an EgressNode status that other nodes build kernel objects from (tunnel addresses,
 * MAC, underlay addresses). The schema only pattern-checks them, so a hand-edited or corrupted
 * status can hold {@code 300.1.1.1}: every agent then leaves that node out as a tunnel peer, and
 * the controller says why in a condition, instead of every agent's plan failing.
 */
public final class EgressNodeValidator {
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    private EgressNodeValidator() {
    }

    public static List<Violation> content(EgressNode n) {
        List<Violation> out = new ArrayList<>();
        interfaceAddress("status.vxlanIPv4IP", n.tunnelIPv4(), Family.IPV4, out);
        interfaceAddress("status.vxlanIPv6IP", n.tunnelIPv6(), Family.IPV6, out);
        address("status.physicalInterfaceIPv4", n.physicalInterfaceIPv4(), Family.IPV4, out);
        address("status.physicalInterfaceIPv6", n.physicalInterfaceIPv6(), Family.IPV6, out);
        String mac = n.tunnelMac();
        if (present(mac) && !MAC.matcher(mac).matches()) {
            out.add(new Violation("status.tunnelMac", mac, "'" + mac + "' is not a MAC address like 66:c5:d6:cc:29:54"));
        }
        for (int i = 0; i < n.interfaces().size(); i++) {
            NodeInterface ni = n.interfaces().get(i);
            for (int j = 0; j < ni.ipv4().size(); j++) {
                interfaceAddress("status.interfaces[" + i + "].ipv4[" + j + "]", ni.ipv4().get(j), Family.IPV4, out);
            }
            for (int j = 0; j < ni.ipv6().size(); j++) {
                interfaceAddress("status.interfaces[" + i + "].ipv6[" + j + "]", ni.ipv6().get(j), Family.IPV6, out);
            }
        }
        return out;
    }

    private static void interfaceAddress(String field, String text, Family f, List<Violation> out) {
        if (!present(text)) {
            return;
        }
        Parsed<InterfaceAddress> a = InterfaceAddress.parse(text);
        if (!a.isOk()) {
            out.add(new Violation(field, text, a.message()));
        } else if (a.orElseThrow().family() != f) {
            out.add(new Violation(field, text, "'" + text + "' is " + a.orElseThrow().family().label() + ", expected "
                    + f.label()));
        }
    }

    private static void address(String field, String text, Family f, List<Violation> out) {
        if (!present(text)) {
            return;
        }
        Parsed<IpAddress> a = IpAddress.parse(text, f);
        if (!a.isOk()) {
            out.add(new Violation(field, text, a.message()));
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
