package io.egressgateway.domain.plan;

import io.egressgateway.domain.datapath.Marks;
import io.egressgateway.domain.net.Family;

/**
 * The part of the agent's configuration the planner needs. Marks are unsigned 32-bit values held in
 * longs. {@code parentInterface} is a device name, or {@code auto} for the device of each family's
 * default route.
 *
 * @param v4Device       tunnel device for the IPv4 underlay ({@code egress-vxlan-v4})
 * @param v6Device       tunnel device for the IPv6 underlay ({@code egress-vxlan-v6})
 * @param reservedMask   mark bits other software uses (kube-proxy, Cilium, AWS CNI): never part of a
 *                       node id, never saved to or restored from the connmark
 * @param rulePriority   the one priority of every ip rule the agent owns
 * @param failClosed     true: traffic of a policy without a Ready gateway is refused instead of
 *                       taking its normal path
 * @param trafficCounters true: plan the counting rules and their nfacct objects (docs/traffic-metrics.md);
 *                       false on a kernel without nfacct, where a rule naming one could not be loaded
 */
public record PlannerSettings(String v4Device, String v6Device, int vni, int port, String parentInterface,
                              long markBase, long markMask, long reservedMask, int rulePriority,
                              boolean failClosed, boolean enableIPv4, boolean enableIPv6, boolean trafficCounters) {
    public static final String AUTO = "auto";

    /** With traffic counters (the kernel has nfacct). */
    public PlannerSettings(String v4Device, String v6Device, int vni, int port, String parentInterface, long markBase,
                           long markMask, long reservedMask, int rulePriority, boolean failClosed, boolean enableIPv4,
                           boolean enableIPv6) {
        this(v4Device, v6Device, vni, port, parentInterface, markBase, markMask, reservedMask, rulePriority, failClosed,
                enableIPv4, enableIPv6, true);
    }

    public PlannerSettings {
        requireName("v4Device", v4Device);
        requireName("v6Device", v6Device);
        if (v4Device.equals(v6Device)) {
            throw new IllegalArgumentException("tunnel devices v4Device and v6Device must differ, both are '" + v4Device + "'");
        }
        if (commonPrefix(v4Device, v6Device).length() < 4) {
            throw new IllegalArgumentException("tunnel devices '" + v4Device + "' and '" + v6Device
                    + "' must share a prefix of at least 4 characters: iptables matches them as <prefix>+");
        }
        if (vni < 1 || vni > 0xffffff) {
            throw new IllegalArgumentException("vni " + vni + " is outside 1..16777215");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        if (parentInterface == null || parentInterface.isBlank()) {
            throw new IllegalArgumentException("parentInterface must be a device name or 'auto'");
        }
        for (long v : new long[] {markBase, markMask, reservedMask}) {
            if (v < 0 || v > 0xffffffffL) {
                throw new IllegalArgumentException("mark value " + v + " is not an unsigned 32-bit value");
            }
        }
        if ((markBase & markMask) == 0 || (markBase & ~markMask & 0xffffffffL) != 0) {
            throw new IllegalArgumentException("markBase " + Marks.hex(markBase) + " must be non-zero and lie inside markMask "
                    + Marks.hex(markMask) + " (tables are numbered from marks and must not be 0, main, local or default)");
        }
        if ((markMask & reservedMask) != 0) {
            throw new IllegalArgumentException("markMask " + Marks.hex(markMask) + " overlaps reservedMask " + Marks.hex(reservedMask));
        }
        if (Long.bitCount(markMask) < 2) {
            throw new IllegalArgumentException("markMask " + Marks.hex(markMask) + " needs at least two bits");
        }
        if (rulePriority < 1 || rulePriority >= 32766) {
            throw new IllegalArgumentException("rulePriority " + rulePriority + " must lie in 1..32765 (before the main table)");
        }
        if (!enableIPv4 && !enableIPv6) {
            throw new IllegalArgumentException("at least one of enableIPv4 / enableIPv6 must be true");
        }
    }

    /** The defaults of {@code reference.conf}, IPv4 only. */
    public static PlannerSettings defaults() {
        return new PlannerSettings("egress-vxlan-v4", "egress-vxlan-v6", 100, 7789, AUTO, 0x26000000L, 0xff000000L,
                io.egressgateway.domain.alloc.MarkAllocator.DEFAULT_RESERVED_MASK, 99, false, true, false);
    }

    public PlannerSettings withFamilies(boolean v4, boolean v6) {
        return new PlannerSettings(v4Device, v6Device, vni, port, parentInterface, markBase, markMask, reservedMask,
                rulePriority, failClosed, v4, v6, trafficCounters);
    }

    public PlannerSettings withFailClosed(boolean value) {
        return new PlannerSettings(v4Device, v6Device, vni, port, parentInterface, markBase, markMask, reservedMask,
                rulePriority, value, enableIPv4, enableIPv6, trafficCounters);
    }

    public PlannerSettings withTrafficCounters(boolean value) {
        return new PlannerSettings(v4Device, v6Device, vni, port, parentInterface, markBase, markMask, reservedMask,
                rulePriority, failClosed, enableIPv4, enableIPv6, value);
    }

    public boolean enabled(Family family) {
        return family == Family.IPV4 ? enableIPv4 : enableIPv6;
    }

    public String device(Family underlay) {
        return underlay == Family.IPV4 ? v4Device : v6Device;
    }

    /** What iptables matches every tunnel device with: {@code egress-vxlan-+}. */
    public String deviceWildcard() {
        return devicePrefix() + "+";
    }

    public String devicePrefix() {
        return commonPrefix(v4Device, v6Device);
    }

    private static void requireName(String field, String name) {
        if (name == null || name.isEmpty() || name.length() > 15 || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(field + " '" + name + "' is not a device name (1..15 of A-Z a-z 0-9 _ . -)");
        }
    }

    private static String commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return a.substring(0, i);
    }
}
