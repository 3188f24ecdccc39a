package io.egressgateway.domain.datapath;

import java.util.List;

/**
 * What the agent may observe and delete: nothing outside it is ever touched. Devices, ipsets and
 * chains are recognised by name prefix, routes by table number ({@code table & markMask == markBase},
 * tables are numbered from marks), ip rules by their priority band, EIP announcements by lying inside
 * an EIP pool, jumps in built-in chains by the {@code egw:} comment. Sysctls are read only where the
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
}
