package io.egressgateway.domain.move;

import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;

/**
 * A request to move an EIP (and the EIPs placed with it) to a node, written as the gateway annotation
 * {@value #ANNOTATION}: {@code <eip>=<node>} or {@code <eip>=<node>@<id>}. The id makes a repeated
 * request distinct from one already handled (the controller acknowledges each request text once).
 */
public record EipMoveRequest(String text, IpAddress eip, String node, String id) {
    public static final String ANNOTATION = "egressgateway.spidernet.io/move-eip";
    /** The gateway condition that acknowledges the request. */
    public static final String CONDITION = "EIPMove";

    public static EipMoveRequest of(IpAddress eip, String node, String id) {
        String text = eip.text() + "=" + node + (id == null || id.isEmpty() ? "" : "@" + id);
        return new EipMoveRequest(text, eip, node, id == null ? "" : id);
    }

    public static Parsed<EipMoveRequest> parse(String text) {
        if (text == null || text.isBlank()) {
            return Parsed.error(text == null ? "" : text, "is empty, expected <eip>=<node>[@<id>]");
        }
        int eq = text.indexOf('=');
        if (eq <= 0) {
            return Parsed.error(text, "has no '<eip>=', expected <eip>=<node>[@<id>]");
        }
        String rest = text.substring(eq + 1);
        int at = rest.indexOf('@');
        String node = at < 0 ? rest : rest.substring(0, at);
        String id = at < 0 ? "" : rest.substring(at + 1);
        if (!node.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            return Parsed.error(text, "names node '" + node + "', which is not a valid node name (lowercase DNS subdomain)");
        }
        if (id.length() > 63 || !id.matches("[A-Za-z0-9._-]*")) {
            return Parsed.error(text, "has request id '" + id + "', expected at most 63 of [A-Za-z0-9._-]");
        }
        Parsed<IpAddress> eip = IpAddress.parse(text.substring(0, eq));
        if (!eip.isOk()) {
            return Parsed.error(text, "does not start with an IP address: " + eip.message());
        }
        return Parsed.ok(new EipMoveRequest(text, eip.orElseThrow(), node, id));
    }

    /** The prefix of the condition message that ties an acknowledgement to this request. */
    public String ackPrefix() {
        return "request " + text + ": ";
    }
}
