package io.egressgateway.adapters.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds one netlink request: header, the fixed family struct, then attributes (4-byte aligned,
 * host byte order except where the kernel wants network order). Nesting is a stack of open
 * attribute offsets whose lengths are patched on close.
 */
public final class NlMsg {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> open = new ArrayDeque<>();
    private final int type;
    private final int flags;

    public NlMsg(int type, int flags) {
        this.type = type;
        this.flags = flags;
        buf.position(Rtnl.NLMSG_HDRLEN);
    }

    public int type() {
        return type;
    }

    /** The family header, e.g. ifinfomsg or rtmsg, written by the caller as raw fields. */
    public NlMsg u8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public NlMsg u16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public NlMsg u32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    public NlMsg attr(int attrType, byte[] value) {
        int len = 4 + value.length;
        ensure(align(len));
        buf.putShort((short) len).putShort((short) attrType).put(value);
        pad();
        return this;
    }

    public NlMsg attrU8(int attrType, int v) {
        return attr(attrType, new byte[] {(byte) v});
    }

    public NlMsg attrU32(int attrType, int v) {
        return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
    }

    /** A 16-bit value in network byte order (UDP ports). */
    public NlMsg attrBe16(int attrType, int v) {
        return attr(attrType, new byte[] {(byte) (v >> 8), (byte) v});
    }

    public NlMsg attrString(int attrType, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return attr(attrType, Arrays.copyOf(b, b.length + 1));
    }

    public NlMsg nest(int attrType) {
        ensure(4);
        open.push(buf.position());
        buf.putShort((short) 0).putShort((short) (attrType | Rtnl.NLA_F_NESTED));
        return this;
    }

    public NlMsg end() {
        int start = open.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** A raw struct inside an attribute whose length is patched later (rtnexthop inside RTA_MULTIPATH). */
    public int mark() {
        return buf.position();
    }

    public NlMsg patchU16(int at, int v) {
        buf.putShort(at, (short) v);
        return this;
    }

    public byte[] build(int seq) {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed nested attribute");
        }
        int len = buf.position();
        ByteBuffer out = buf.duplicate().order(ByteOrder.nativeOrder());
        out.putInt(0, len).putShort(4, (short) type).putShort(6, (short) flags).putInt(8, seq).putInt(12, 0);
        return Arrays.copyOf(buf.array(), len);
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    private void pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }

    private void ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more + 64))
                    .order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }
}
