package io.egressgateway.adapters.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** One received netlink message: header fields and the payload after the header. */
public record NlMessage(int type, int flags, int seq, byte[] payload) {

    /** Splits one datagram into its messages. */
    public static List<NlMessage> split(byte[] data, int length) {
        List<NlMessage> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        int pos = 0;
        while (pos + Rtnl.NLMSG_HDRLEN <= length) {
            int len = b.getInt(pos);
            if (len < Rtnl.NLMSG_HDRLEN || pos + len > length) {
                break;
            }
            byte[] payload = new byte[len - Rtnl.NLMSG_HDRLEN];
            System.arraycopy(data, pos + Rtnl.NLMSG_HDRLEN, payload, 0, payload.length);
            out.add(new NlMessage(Short.toUnsignedInt(b.getShort(pos + 4)), Short.toUnsignedInt(b.getShort(pos + 6)),
                    b.getInt(pos + 8), payload));
            pos += NlMsg.align(len);
        }
        return out;
    }

    public ByteBuffer buffer() {
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
    }

    /** Attributes after a fixed family header of {@code headerLength} bytes. */
    public NlAttrs attrs(int headerLength) {
        return NlAttrs.parse(payload, NlMsg.align(headerLength), payload.length);
    }

    public int u8(int offset) {
        return Byte.toUnsignedInt(payload[offset]);
    }

    public int u16(int offset) {
        return Short.toUnsignedInt(buffer().getShort(offset));
    }

    public int i32(int offset) {
        return buffer().getInt(offset);
    }
}
