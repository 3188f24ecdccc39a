package io.egressgateway.domain.alloc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tunnel MACs. A node's MAC is derived from its name: the first six bytes of SHA-256 over the UTF-8
 * name, with the locally-administered bit set and the multicast bit cleared, so it is stable across
 * restarts and releases and needs no coordination. If two names ever derive the same MAC (a 46-bit
 * hash: unlikely, not impossible), the larger name takes the hash of {@code name#1}, {@code #2}, ...
 * Existing valid MACs are kept, so a node never changes MAC under its peers' neighbour entries.
 */
public final class TunnelMacAllocator {
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final int MAX_ATTEMPTS = 1000;

    private TunnelMacAllocator() {
    }

    /** The MAC for a node name with no collision: {@code derive(name, 0)}. */
    public static String forNode(String name) {
        return derive(name, 0);
    }

    /** Attempt 0 hashes the name; attempt n > 0 hashes {@code name#n}. */
    public static String derive(String name, int attempt) {
        String input = attempt == 0 ? name : name + "#" + attempt;
        byte[] h = sha256(input.getBytes(StandardCharsets.UTF_8));
        h[0] = (byte) ((h[0] & 0xfe) | 0x02);
        return HexFormat.ofDelimiter(":").formatHex(h, 0, 6);
    }

    public static Allocation<String> allocate(Collection<String> nodes, Map<String, String> existing) {
        return Claims.resolve(nodes, existing, TunnelMacAllocator::claim, (node, used) -> {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                String mac = derive(node, attempt);
                if (!used.contains(mac)) {
                    return Optional.of(mac);
                }
            }
            return Optional.empty();
        }, m -> m);
    }

    private static Claims.Result<String> claim(String text) {
        String mac = text.toLowerCase(java.util.Locale.ROOT);
        if (!MAC.matcher(mac).matches()) {
            return Claims.Result.bad("'" + text + "' is not a MAC address like 66:c5:d6:cc:29:54");
        }
        int first = Integer.parseInt(mac.substring(0, 2), 16);
        if ((first & 0x01) != 0) {
            return Claims.Result.bad(text + " is a multicast MAC");
        }
        if (mac.equals("00:00:00:00:00:00")) {
            return Claims.Result.bad(text + " is the zero MAC");
        }
        return Claims.Result.ok(mac);
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
