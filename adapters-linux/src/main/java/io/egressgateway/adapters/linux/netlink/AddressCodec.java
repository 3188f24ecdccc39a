package io.egressgateway.adapters.linux.netlink;

import static io.egressgateway.adapters.linux.netlink.Rtnl.*;

/** RTM_*ADDR messages (ifaddrmsg). */
public final class AddressCodec {
    static final int HEADER = 8;

    /** One address as dumped; {@code cidr} is canonical text with the prefix, host bits kept. */
    public record AddrInfo(int index, int family, String cidr, int scope, long flags) {
    }

    private AddressCodec() {
    }

    public static NlMsg dump() {
        return new NlMsg(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP).u8(AF_UNSPEC).u8(0).u8(0).u8(0).u32(0);
    }

    public static AddrInfo decode(NlMessage m) {
        int family = m.u8(0);
        int prefix = m.u8(1);
        int flags8 = m.u8(2);
        int scope = m.u8(3);
        int index = m.i32(4);
        NlAttrs a = m.attrs(HEADER);
        byte[] addr = a.bytes(IFA_LOCAL).or(() -> a.bytes(IFA_ADDRESS)).orElse(new byte[0]);
        long flags = a.u32(IFA_FLAGS).orElse((long) flags8);
        String cidr = addr.length == 4 || addr.length == 16 ? InetText.format(addr) + "/" + prefix : null;
        return new AddrInfo(index, family, cidr, scope, flags);
    }

    /** Adds (or refreshes) an address without a prefix route; IPv6 also without duplicate detection. */
    public static NlMsg add(int index, String cidr) {
        InetText.Cidr c = InetText.cidr(cidr);
        boolean v6 = c.address().length == 16;
        int flags = IFA_F_NOPREFIXROUTE | (v6 ? IFA_F_NODAD : 0);
        return header(new NlMsg(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE), c, index,
                flags)
                .attr(IFA_LOCAL, c.address()).attr(IFA_ADDRESS, c.address()).attrU32(IFA_FLAGS, flags);
    }

    public static NlMsg delete(int index, String cidr) {
        InetText.Cidr c = InetText.cidr(cidr);
        return header(new NlMsg(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK), c, index, 0)
                .attr(IFA_LOCAL, c.address()).attr(IFA_ADDRESS, c.address());
    }

    private static NlMsg header(NlMsg m, InetText.Cidr c, int index, int flags) {
        return m.u8(c.address().length == 4 ? AF_INET : AF_INET6).u8(c.prefix()).u8(flags & 0xff)
                .u8(RT_SCOPE_UNIVERSE).u32(index);
    }
}
