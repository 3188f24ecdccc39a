package io.egressgateway.adapters.linux.netlink;

/** rtnetlink numbers from linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h, neighbour.h, fib_rules.h. */
public final class Rtnl {
    private Rtnl() {
    }

    // netlink header
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;
    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLA_TYPE_MASK = 0x3fff;
    public static final int NLA_F_NESTED = 0x8000;

    // message types
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;
    public static final int RTM_NEWRULE = 32;
    public static final int RTM_DELRULE = 33;
    public static final int RTM_GETRULE = 34;

    // families
    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_BRIDGE = 7;
    public static final int AF_INET6 = 10;

    // links
    public static final int IFF_UP = 0x1;
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int IFLA_VXLAN_ID = 1;
    public static final int IFLA_VXLAN_LINK = 3;
    public static final int IFLA_VXLAN_LOCAL = 4;
    public static final int IFLA_VXLAN_LEARNING = 7;
    public static final int IFLA_VXLAN_PORT = 15;
    public static final int IFLA_VXLAN_LOCAL6 = 17;

    // addresses
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int IFA_F_NOPREFIXROUTE = 0x200;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;

    // routes
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_TABLE = 15;
    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTN_UNREACHABLE = 7;
    public static final int RTPROT_STATIC = 4;
    public static final int RTNH_F_ONLINK = 4;
    public static final int RTM_F_CLONED = 0x200;
    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_MAIN = 254;

    public static final int RTA_NH_ID = 30;

    // next-hop objects (linux/nexthop.h)
    public static final int RTM_NEWNEXTHOP = 104;
    public static final int RTM_DELNEXTHOP = 105;
    public static final int RTM_GETNEXTHOP = 106;
    public static final int NHA_ID = 1;
    public static final int NHA_GROUP = 2;
    public static final int NHA_GROUP_TYPE = 3;
    public static final int NHA_OIF = 5;
    public static final int NHA_GATEWAY = 6;
    public static final int NHA_RES_GROUP = 12;
    public static final int NHA_RES_GROUP_BUCKETS = 1;
    public static final int NHA_RES_GROUP_IDLE_TIMER = 2;
    public static final int NHA_RES_GROUP_UNBALANCED_TIMER = 3;
    /** The unit of next-hop group timers on the netlink interface: clock_t, USER_HZ ticks a second (100 on Linux). */
    public static final int USER_HZ = 100;
    public static final int NEXTHOP_GRP_TYPE_RES = 1;

    // rules
    public static final int FRA_PRIORITY = 6;
    public static final int FRA_FWMARK = 10;
    public static final int FRA_TABLE = 15;
    public static final int FRA_FWMASK = 16;
    public static final int FR_ACT_TO_TBL = 1;

    // neighbours
    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;
    public static final int NTF_SELF = 0x02;
    public static final int NTF_PROXY = 0x08;

    public static int family(io.egressgateway.domain.net.Family f) {
        return f == io.egressgateway.domain.net.Family.IPV4 ? AF_INET : AF_INET6;
    }
}
