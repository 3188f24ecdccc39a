package io.egressgateway.adapters.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.egressgateway.adapters.linux.netlink.NetlinkException;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.NlMsg;
import io.egressgateway.adapters.linux.netlink.Rtnl;
import io.egressgateway.adapters.linux.sys.NetnsExecutor;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code NetlinkSocket} keeps a 64 KiB receive array (docs/benchmarks.md, "Issue 18: the agent's
 * live heap"); a datagram larger than that must still be read whole. The kernel's answer to a
 * failed request echoes the request, so a request of ~120 KB that fails comes back as one datagram
 * of ~120 KB: its error must arrive as the kernel's errno, and the socket must go on working.
 */
class NetlinkReceiveNetnsIT {
    private static final int IFLA_IFNAME = 3;
    /** Above IFLA_MAX: a non-strict request's parser skips it, the echo carries it. */
    private static final int UNKNOWN_ATTR = 0x3ff;
    private static final int ENODEV = 19;
    @RegisterExtension
    static final NetnsExtension netns = new NetnsExtension();

    @Test
    void anAnswerLargerThanTheKeptArrayIsReadWhole() {
        String ns = netns.add("rx");
        try (NetnsExecutor e = NetnsExecutor.open(Optional.of(ns), "test-rx-" + ns)) {
            e.run(() -> {
                try (NetlinkSocket s = NetlinkSocket.open()) {
                    NlMsg big = getLink("egw-nosuch0");
                    for (int i = 0; i < 2; i++) {
                        big.attr(UNKNOWN_ATTR, new byte[60_000]);
                    }
                    assertThat(big.build(1).length).as("the request, echoed in the answer").isGreaterThan(110_000);
                    assertThatThrownBy(() -> s.execute(big, "get link egw-nosuch0 (120 KB)"))
                            .isInstanceOfSatisfying(NetlinkException.class, x -> assertThat(x.errno()).isEqualTo(ENODEV));
                    List<?> links = s.dump(new NlMsg(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP)
                            .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0), "dump links");
                    assertThat(links).as("lo, after the large answer").hasSize(1);
                }
            });
        }
    }

    private static NlMsg getLink(String name) {
        return new NlMsg(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0)
                .attrString(IFLA_IFNAME, name);
    }
}
