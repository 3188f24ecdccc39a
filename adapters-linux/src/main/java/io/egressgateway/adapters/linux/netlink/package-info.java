/**
 * rtnetlink over a JNA socket: a message builder ({@link io.egressgateway.adapters.linux.netlink.NlMsg}),
 * an attribute parser ({@link io.egressgateway.adapters.linux.netlink.NlAttrs}) and one small codec per
 * kernel object (links, addresses, routes, rules, neighbours/proxies/FDB). Codecs are pure and tested
 * without root; only {@link io.egressgateway.adapters.linux.netlink.NetlinkSocket} talks to the kernel.
 */
package io.egressgateway.adapters.linux.netlink;
