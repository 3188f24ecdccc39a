package io.egressgateway.adapters.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes of one message or nested attribute, by type. The last occurrence of a type wins;
 * {@link #all} keeps repeated ones. Truncated attributes end the parse rather than throwing, as the
 * kernel never sends them and a fuzzer should not crash the agent.
 */
public final class NlAttrs {
    private final Map<Integer, byte[]> byType = new HashMap<>();
    private final List<Map.Entry<Integer, byte[]>> all = new ArrayList<>();

    private NlAttrs() {
    }

    public static NlAttrs parse(byte[] data, int offset, int end) {
        NlAttrs a = new NlAttrs();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        int pos = offset;
        while (pos + 4 <= end) {
            int len = Short.toUnsignedInt(b.getShort(pos));
            int type = Short.toUnsignedInt(b.getShort(pos + 2)) & Rtnl.NLA_TYPE_MASK;
            if (len < 4 || pos + len > end) {
                break;
            }
            byte[] value = new byte[len - 4];
            System.arraycopy(data, pos + 4, value, 0, value.length);
            a.byType.put(type, value);
            a.all.add(Map.entry(type, value));
            pos += NlMsg.align(len);
        }
        return a;
    }

    public static NlAttrs parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    public boolean has(int type) {
        return byType.containsKey(type);
    }

    public Optional<byte[]> bytes(int type) {
        return Optional.ofNullable(byType.get(type));
    }

    public Optional<NlAttrs> nested(int type) {
        return bytes(type).map(NlAttrs::parse);
    }

    public Optional<String> string(int type) {
        return bytes(type).map(v -> {
            int n = 0;
            while (n < v.length && v[n] != 0) {
                n++;
            }
            return new String(v, 0, n, StandardCharsets.UTF_8);
        });
    }

    public Optional<Integer> u8(int type) {
        return bytes(type).filter(v -> v.length >= 1).map(v -> Byte.toUnsignedInt(v[0]));
    }

    /** Unsigned 32-bit value held in a long. */
    public Optional<Long> u32(int type) {
        return bytes(type).filter(v -> v.length >= 4)
                .map(v -> Integer.toUnsignedLong(ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt()));
    }

    public Optional<Integer> be16(int type) {
        return bytes(type).filter(v -> v.length >= 2).map(v -> (Byte.toUnsignedInt(v[0]) << 8) | Byte.toUnsignedInt(v[1]));
    }

    public List<Map.Entry<Integer, byte[]>> all() {
        return List.copyOf(all);
    }
}
