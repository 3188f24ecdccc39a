package io.egressgateway.adapters.linux.netlink;

import java.util.OptionalLong;

/**
 * The nf_tables ruleset generation of the namespace (NFT_MSG_GETGEN): the kernel increments it with
 * every committed transaction, whoever commits it ({@code iptables-nft}, {@code nft}, kube-proxy, us).
 * An unchanged generation means an unchanged ruleset, so what {@code iptables-nft-save} printed at
 * that generation still holds. Open and use on the namespace thread.
 */
public final class NftGeneration implements AutoCloseable {
    private final NetlinkSocket socket;

    private NftGeneration(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static NftGeneration open() {
        return new NftGeneration(NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER));
    }

    /** The current generation; empty when the kernel does not answer (no nf_tables). */
    public OptionalLong current() {
        NlMsg req = Nfnl.request(Nfnl.NFNL_SUBSYS_NFTABLES, Nfnl.NFT_MSG_GETGEN, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK);
        for (NlMessage m : socket.query(req, "nf_tables generation")) {
            if (m.type() == Nfnl.type(Nfnl.NFNL_SUBSYS_NFTABLES, Nfnl.NFT_MSG_NEWGEN)) {
                byte[] id = m.attrs(Nfnl.NFGENMSG_LEN).bytes(Nfnl.NFTA_GEN_ID).orElse(null);
                if (id != null && id.length == 4) {
                    // NFTA_GEN_ID is big-endian
                    return OptionalLong.of(((id[0] & 0xffL) << 24) | ((id[1] & 0xffL) << 16) | ((id[2] & 0xffL) << 8)
                            | (id[3] & 0xffL));
                }
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        socket.close();
    }
}
