/**
 * The Linux datapath adapter: observes and applies the node's owned kernel objects (VXLAN tunnel,
 * addresses, neighbours, FDB, routes, rules, ipsets, iptables, EIP announcements) in one network
 * namespace. {@link io.egressgateway.adapters.linux.LinuxDatapath} is the only public entry point;
 * see docs/linux-adapter.md.
 */
package io.egressgateway.adapters.linux;
