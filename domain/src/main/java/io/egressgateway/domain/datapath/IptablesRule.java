package io.egressgateway.domain.datapath;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One iptables rule without its {@code -A <chain>} head, e.g. {@code -m mark --mark 0x0/0xff000000 -j
 * ACCEPT}. The rule is installed with {@code -m comment --comment "egw:<hash>"}; observation reads the
 * hash back from that comment and compares hashes, because iptables-save rewrites rule text. An
 * observed rule therefore carries the text iptables printed, which is for humans only.
 */
public record IptablesRule(String spec, String hash) {
    public static final String COMMENT_PREFIX = "egw:";

    public static IptablesRule of(String spec) {
        return new IptablesRule(spec, hashOf(spec));
    }

    /** The rule as iptables-restore takes it after {@code -A <chain> }. */
    public String restoreSpec() {
        return spec + " -m comment --comment \"" + COMMENT_PREFIX + hash + "\"";
    }

    static String hashOf(String spec) {
        byte[] digest = SHA256.get().digest(spec.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    /** Looking the algorithm up costs more than hashing a rule; a digest is not thread-safe, hence one per thread. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    });
}
