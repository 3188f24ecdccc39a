/** IP addresses, CIDRs, ranges and pools for IPv4 and IPv6: parsing, normalising, overlap, counting. */
package io.egressgateway.domain.net;
