/**
 * iptables through its batch interfaces: {@code iptables-save} parsed into owned chains and jumps,
 * {@code iptables-restore --noflush} built so that it cannot fail on a missing object, and the
 * choice of backend (legacy or nft) the node already uses.
 */
package io.egressgateway.adapters.linux.iptables;
