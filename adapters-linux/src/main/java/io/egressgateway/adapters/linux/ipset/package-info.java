/** ipset through {@code ipset save} and {@code ipset restore}: owned hash:net sets, member by member. */
package io.egressgateway.adapters.linux.ipset;
