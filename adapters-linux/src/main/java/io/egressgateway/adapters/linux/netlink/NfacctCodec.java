package io.egressgateway.adapters.linux.netlink;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * nfnetlink_acct messages (NETLINK_NETFILTER, subsystem NFNL_SUBSYS_ACCT): create, delete and dump
 * named accounting objects. Every message starts with a 4-byte {@code nfgenmsg} (family, version,
 * resource id); counters come as big-endian 64-bit attributes.
 */
public final class NfacctCodec {
    public static final int NETLINK_NETFILTER = 12;
    static final int NFNL_SUBSYS_ACCT = 7;
    static final int MSG_NEW = 0;
    static final int MSG_GET = 1;
    static final int MSG_DEL = 3;
    static final int NFACCT_NAME = 1;
    static final int NFACCT_PKTS = 2;
    static final int NFACCT_BYTES = 3;
    static final int NFGENMSG_LEN = 4;
    /** The kernel's NFACCT_NAME_MAX, with the terminating NUL. */
    public static final int NAME_MAX = 31;

    /** One object as dumped. */
    public record Counter(String name, long packets, long bytes) {
    }

    private NfacctCodec() {
    }

    /** Creates {@code name} with zero counters; the kernel answers EEXIST when it already exists. */
    public static NlMsg create(String name) {
        return header(MSG_NEW, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL)
                .attrString(NFACCT_NAME, checked(name));
    }

    /** Deletes {@code name}; EBUSY while a rule still names it, ENOENT when it is gone. Never sent without a name. */
    public static NlMsg delete(String name) {
        return header(MSG_DEL, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK).attrString(NFACCT_NAME, checked(name));
    }

    public static NlMsg dump() {
        return header(MSG_GET, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP);
    }

    /** The counter in one dump answer; empty for anything else. */
    public static Optional<Counter> parse(NlMessage m) {
        if (m.type() != ((NFNL_SUBSYS_ACCT << 8) | MSG_NEW) || m.payload().length < NFGENMSG_LEN) {
            return Optional.empty();
        }
        NlAttrs a = m.attrs(NFGENMSG_LEN);
        Optional<String> name = a.string(NFACCT_NAME);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Counter(name.get(), be64(a, NFACCT_PKTS), be64(a, NFACCT_BYTES)));
    }

    private static long be64(NlAttrs a, int type) {
        return a.bytes(type).filter(v -> v.length >= 8).map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L);
    }

    private static NlMsg header(int msg, int flags) {
        // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id 0
        return new NlMsg((NFNL_SUBSYS_ACCT << 8) | msg, flags).u8(0).u8(0).u16(0);
    }

    private static String checked(String name) {
        if (name == null || name.isEmpty() || name.length() > NAME_MAX) {
            throw new IllegalArgumentException("nfacct name '" + name + "' must have 1.." + NAME_MAX + " characters");
        }
        return name;
    }
}
