package io.egressgateway.domain.datapath;

import java.util.List;

/**
 * What the agent may observe and delete: nothing outside it is ever touched. Devices, ipsets and
 * chains are recognised by name prefix, routes by table number ({@code table & markMask == markBase},
 * tables are numbered from marks), ip rules by their exact shape ({@link #ownsRule}), EIP announcements
 * left by older agents by their protocol-38 host route, jumps in built-in chains by the {@code egw:}
 * comment. Sysctls are read only where the
 * plan names them.
 */
public record OwnershipScope(String devicePrefix, String ipsetPrefix, String chainPrefix, int rulePriorityMin,
                             int rulePriorityMax, long markBase, long markMask, List<String> eipPools,
                             List<String> sysctlPaths) {
    public OwnershipScope {
        eipPools = List.copyOf(eipPools);
        sysctlPaths = List.copyOf(sysctlPaths);
    }

    public boolean ownsTable(long table) {
        return (table & markMask) == (markBase & markMask);
    }

    public boolean ownsRulePriority(int priority) {
        return priority >= rulePriorityMin && priority <= rulePriorityMax;
    }

    /**
     * Whether an ip rule is one of ours: in the priority band, an exact fwmark ({@code mask
     * 0xffffffff}) of our mark class (the base, or the base with the reply/fail-closed flag, the lowest
     * bit of the mask), looking up one of our tables. Any other rule at our priority (a source rule, a
     * foreign mark, a main-table lookup) is someone else's and is never touched.
     */
    public boolean ownsRule(int priority, long mark, long mask, long table) {
        long flag = Long.lowestOneBit(markMask);
        return ownsRulePriority(priority) && mask == 0xffffffffL && ownsTable(table)
                && ((mark & markMask) & ~flag) == ((markBase & markMask) & ~flag);
    }
}
