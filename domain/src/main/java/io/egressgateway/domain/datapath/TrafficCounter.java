package io.egressgateway.domain.datapath;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A kernel accounting object (nfacct) that counting rules reference by name with {@code -m nfacct
 * --nfacct-name}: packets and bytes of one policy steered into the tunnel on this node
 * ({@code egw-s-<hash>}), or of one policy and EIP leaving this gateway ({@code egw-e-<hash>}).
 * docs/traffic-metrics.md says what is counted where.
 *
 * <p>The kernel knows only the name, so an observed counter has neither policy nor EIP; two counters
 * are the same object when their names are equal. A planned counter carries its labels for the
 * metrics. Names are 22 characters, within the kernel's 31, and one counter serves both families
 * (a steered counter is shared by the IPv4 and IPv6 rules of its policy).
 *
 * @param policy the policy, null when observed
 * @param eip    the EIP for an egress counter; null for a steered one and when observed
 */
public record TrafficCounter(String name, String policy, String eip) implements DatapathObject {
    /** Every owned accounting object starts with this; nothing else is observed or deleted. */
    public static final String PREFIX = "egw-";
    private static final String STEERED = PREFIX + "s-";
    private static final String EGRESS = PREFIX + "e-";

    public TrafficCounter {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith(PREFIX) || name.length() > 31) {
            throw new IllegalArgumentException("counter name '" + name + "' must start with " + PREFIX
                    + " and have at most 31 characters");
        }
    }

    /** The counter of {@code policy}'s packets steered into the tunnel on this node. */
    public static TrafficCounter steered(String policy) {
        return new TrafficCounter(STEERED + hash(policy), policy, null);
    }

    /** The counter of {@code policy}'s packets that leave this gateway with {@code eip} as source. */
    public static TrafficCounter egress(String policy, String eip) {
        return new TrafficCounter(EGRESS + hash(policy + "\n" + eip), policy, eip);
    }

    /** As the kernel reports it: a name and nothing else. */
    public static TrafficCounter observed(String name) {
        return new TrafficCounter(name, null, null);
    }

    public boolean isSteered() {
        return name.startsWith(STEERED);
    }

    public boolean isEgress() {
        return name.startsWith(EGRESS);
    }

    @Override public Kind kind() { return Kind.NFACCT; }
    @Override public String key() { return name; }

    @Override public String render() {
        String labels = policy == null ? "" : " policy " + policy + (eip == null ? "" : " eip " + eip);
        return "nfacct " + name + labels;
    }

    /** The kernel object is the name: labels never make a counter differ from the one observed. */
    @Override public boolean sameAs(DatapathObject other) {
        return other instanceof TrafficCounter c && name.equals(c.name);
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
