package io.egressgateway.testbed.e2e;

import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.NfacctCodec;
import io.egressgateway.adapters.linux.netlink.NlMessage;
import io.egressgateway.testbed.netns.NetnsThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The nfacct objects of one namespace, as the kernel lists them (no nfacct tool is needed). */
final class KernelCounters {
    private KernelCounters() {
    }

    /** Names of every accounting object in {@code netns} starting with {@code prefix}. */
    static List<String> names(String netns, String prefix) throws Exception {
        return NetnsThread.call(netns, Duration.ofSeconds(10), () -> {
            List<String> out = new ArrayList<>();
            try (NetlinkSocket s = NetlinkSocket.open(NfacctCodec.NETLINK_NETFILTER, "NETLINK_NETFILTER")) {
                for (NlMessage m : s.dump(NfacctCodec.dump(), "dump nfacct")) {
                    NfacctCodec.parse(m).map(NfacctCodec.Counter::name).filter(n -> n.startsWith(prefix)).ifPresent(out::add);
                }
            }
            return out;
        });
    }
}
