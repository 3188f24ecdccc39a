package io.egressgateway.adapters.linux.netlink;

/**
 * nfnetlink numbers (linux/netfilter/nfnetlink.h, ipset/ip_set.h, nf_tables.h) for the two
 * questions the adapter asks netfilter: the members of our ipsets, and the nf_tables generation.
 */
public final class Nfnl {
    private Nfnl() {
    }

    /** struct nfgenmsg: family, version, res_id; 4 bytes before the attributes. */
    public static final int NFGENMSG_LEN = 4;
    public static final int NFNETLINK_V0 = 0;
    public static final int NFNL_SUBSYS_IPSET = 6;
    public static final int NFNL_SUBSYS_NFTABLES = 10;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;

    // ipset: protocol 6 is the oldest every kernel since 2.6.39 speaks and still accepts (IPSET_PROTOCOL_MIN)
    public static final int IPSET_PROTOCOL = 6;
    public static final int IPSET_CMD_LIST = 7;
    public static final int IPSET_ATTR_PROTOCOL = 1;
    public static final int IPSET_ATTR_SETNAME = 2;
    public static final int IPSET_ATTR_TYPENAME = 3;
    public static final int IPSET_ATTR_FAMILY = 5;
    public static final int IPSET_ATTR_DATA = 7;
    public static final int IPSET_ATTR_ADT = 8;
    /** Inside IPSET_ATTR_DATA of an element. */
    public static final int IPSET_ATTR_IP = 1;
    public static final int IPSET_ATTR_CIDR = 3;
    /** Inside IPSET_ATTR_IP. */
    public static final int IPSET_ATTR_IPADDR_IPV4 = 1;
    public static final int IPSET_ATTR_IPADDR_IPV6 = 2;
    public static final int NFPROTO_IPV4 = 2;
    public static final int NFPROTO_IPV6 = 10;

    // nf_tables
    public static final int NFT_MSG_NEWGEN = 15;
    public static final int NFT_MSG_GETGEN = 16;
    public static final int NFTA_GEN_ID = 1;

    /** The netlink message type of {@code cmd} in {@code subsys}. */
    public static int type(int subsys, int cmd) {
        return (subsys << 8) | cmd;
    }

    /** A request of {@code subsys}/{@code cmd} with its nfgenmsg (family unspecified, version 0). */
    public static NlMsg request(int subsys, int cmd, int flags) {
        return new NlMsg(type(subsys, cmd), flags).u8(Rtnl.AF_UNSPEC).u8(NFNETLINK_V0).u16(0);
    }
}
