package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.netlink.InetText;
import java.util.Arrays;
import java.util.List;

/** Membership in the EIP pools of an OwnershipScope: entries are an IP, a range {@code a-b} or a CIDR. */
final class EipPools {
    private final List<String> pools;

    EipPools(List<String> pools) {
        this.pools = List.copyOf(pools);
    }

    boolean contains(String ip) {
        byte[] a = InetText.parse(ip);
        for (String pool : pools) {
            String p = pool.strip();
            if (p.contains("/")) {
                if (InetText.cidr(p).contains(a)) {
                    return true;
                }
            } else if (p.contains("-")) {
                String[] ends = p.split("-", 2);
                byte[] lo = InetText.parse(ends[0]);
                byte[] hi = InetText.parse(ends[1]);
                if (lo.length == a.length && Arrays.compareUnsigned(lo, a) <= 0 && Arrays.compareUnsigned(a, hi) <= 0) {
                    return true;
                }
            } else if (Arrays.equals(InetText.parse(p), a)) {
                return true;
            }
        }
        return false;
    }
}
