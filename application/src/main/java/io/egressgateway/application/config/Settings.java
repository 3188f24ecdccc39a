package io.egressgateway.application.config;

import io.egressgateway.domain.model.ForwardMethod;
import io.egressgateway.domain.validation.NetworkContext;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of both roles, typed and immutable. Bound once at start from configuration by the
 * bootstrap module (which alone reads the configuration library); a bad value fails there, with
 * the key, never later at first use.
 */
public record Settings(
        ForwardMethod forwardMethod,
        boolean enableIPv4,
        boolean enableIPv6,
        String namespace,
        Tunnel tunnel,
        Mark mark,
        Iptables iptables,
        Heartbeat heartbeat,
        Cluster cluster,
        Agent agent,
        boolean failClosed,
        int maxEndpointsPerSlice,
        Ports ports) {

    public record Tunnel(String ipv4CIDR, String ipv6CIDR, String v4Name, String v6Name, int vni, int port,
                         String parentInterface) {
        /** True when the parent is the default route's device rather than a named interface. */
        public boolean autoParent() {
            return "auto".equals(parentInterface);
        }
    }

    /** Unsigned 32-bit values held in longs. */
    public record Mark(long base, long mask, long reservedMask, int rulePriority) {
    }

    public enum IptablesBackend { AUTO, LEGACY, NFT }

    /**
     * Where the agent puts its jumps in built-in chains: {@code INSERT} at the top, moved back there
     * (with a bounded rate) when another component's rule gets above them; {@code APPEND} at the end,
     * never moved because of another component's rules (beside Calico's Felix in its default Insert
     * mode: docs/datapath.md, "CNI compatibility").
     */
    public enum ChainInsertMode { INSERT, APPEND }

    public record Iptables(IptablesBackend backend, ChainInsertMode chainInsertMode) {
        public Iptables(IptablesBackend backend) {
            this(backend, ChainInsertMode.INSERT);
        }

        public Iptables {
            chainInsertMode = chainInsertMode == null ? ChainInsertMode.INSERT : chainInsertMode;
        }
    }

    public record Heartbeat(Duration interval, Duration gatewayInterval, Duration evictionTimeout, boolean fence) {
    }

    /**
     * The cluster's networks, addresses no EIP may ever be ({@code protectedIPs}: the subnet's router,
     * an API server VIP; node addresses are known without it), and the shortest prefix an EIP pool
     * entry may have per family.
     */
    public record Cluster(List<String> podCIDRs, List<String> serviceCIDRs, List<String> extraCIDRs,
                          List<String> protectedIPs, int minEipPoolPrefixV4, int minEipPoolPrefixV6) {
        public Cluster {
            podCIDRs = List.copyOf(podCIDRs);
            serviceCIDRs = List.copyOf(serviceCIDRs);
            extraCIDRs = List.copyOf(extraCIDRs);
            protectedIPs = List.copyOf(protectedIPs);
        }

        public Cluster(List<String> podCIDRs, List<String> serviceCIDRs, List<String> extraCIDRs) {
            this(podCIDRs, serviceCIDRs, extraCIDRs, List.of(), NetworkContext.DEFAULT_MIN_POOL_PREFIX_V4,
                    NetworkContext.DEFAULT_MIN_POOL_PREFIX_V6);
        }

        /** The address rules' context from configuration alone (service CIDRs and protected IPs, no nodes). */
        public NetworkContext network() {
            return new NetworkContext(List.of(), serviceCIDRs, protectedIPs, minEipPoolPrefixV4, minEipPoolPrefixV6);
        }
    }

    /**
     * @param witnessPort UDP port on which agents ask each other, over the node network, whether they
     *                    reach the API server (fencing holds when none does); 0 turns the question off
     */
    public record Agent(Duration coalesceInterval, Duration resyncInterval, int witnessPort) {
        public static final int DEFAULT_WITNESS_PORT = 7790;

        public Agent(Duration coalesceInterval, Duration resyncInterval) {
            this(coalesceInterval, resyncInterval, DEFAULT_WITNESS_PORT);
        }
    }

    /** 0 disables a listener. */
    public record Ports(int webhook, int metrics, int health) {
    }
}
