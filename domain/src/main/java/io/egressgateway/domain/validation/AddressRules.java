package io.egressgateway.domain.validation;

import io.egressgateway.domain.net.Cidr;
import io.egressgateway.domain.net.Family;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.IpPool;
import io.egressgateway.domain.net.IpRange;
import io.egressgateway.domain.net.Parsed;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Addresses that must never become an EIP or a policy's network, whoever wrote them: admission
 * refuses them and the controller and the agents skip an object that carries one (it bypassed
 * admission). An EIP is answered by proxy ARP/NDP and announced by gratuitous ARP, so an EIP that is
 * a node's address or the router's takes that address over; a huge pool makes the agents own (and
 * delete) every proxy entry inside it. A destCIDR or podSubnet that covers link-local or the
 * service network would send the metadata service, kube-proxy's traffic or the node's own
 * traffic through a gateway.
 */
public final class AddressRules {
    /** Never an EIP, never inside a policy's networks. */
    static final List<Named> RESERVED = List.of(
            named("0.0.0.0/32", "the unspecified address"), named("127.0.0.0/8", "loopback"),
            named("169.254.0.0/16", "link-local"), named("224.0.0.0/4", "multicast"),
            named("255.255.255.255/32", "the broadcast address"), named("::/128", "the unspecified address"),
            named("::1/128", "loopback"), named("fe80::/10", "link-local"), named("ff00::/8", "multicast"));

    record Named(Cidr cidr, String what) {
    }

    private AddressRules() {
    }

    private static Named named(String cidr, String what) {
        return new Named(Cidr.parse(cidr).orElseThrow(), what);
    }

    /** Why one parsed EIP pool entry is dangerous, or empty when it is fine. */
    public static Optional<String> poolEntry(IpPool.Entry e, NetworkContext ctx) {
        IpRange r = e.range();
        int min = r.family() == Family.IPV4 ? ctx.minPoolPrefixV4() : ctx.minPoolPrefixV6();
        BigInteger limit = BigInteger.ONE.shiftLeft(r.family().bits() - min);
        if (r.size().compareTo(limit) > 0) {
            return Optional.of("holds " + r.size() + " addresses, more than a /" + min + " (" + limit
                    + "); EIP pool entries must be /" + min + " or smaller (cluster.minEipPoolPrefix"
                    + r.family().suffix().toUpperCase(java.util.Locale.ROOT) + ")");
        }
        for (Named n : RESERVED) {
            if (n.cidr().family() == r.family() && r.overlaps(n.cidr().toRange())) {
                boolean one = r.size().equals(BigInteger.ONE);
                return Optional.of((one ? "is " : "contains ") + n.what() + " (" + n.cidr().text() + "), which "
                        + (one ? "can never be an EIP" : "can never be EIPs"));
            }
        }
        for (String ip : ctx.nodeIPs()) {
            Optional<IpAddress> a = address(ip);
            if (a.isPresent() && r.contains(a.get())) {
                return Optional.of(containsWord(r) + " node address " + a.get().text()
                        + "; answering for it would take the node's address over");
            }
        }
        for (String ip : ctx.protectedIPs()) {
            Optional<IpAddress> a = address(ip);
            if (a.isPresent() && r.contains(a.get())) {
                return Optional.of(containsWord(r) + " " + a.get().text()
                        + ", a protected address (cluster.protectedIPs, e.g. the subnet's router)");
            }
        }
        return Optional.empty();
    }

    /**
     * Why a policy network ({@code destCIDR} or {@code podSubnet}) is dangerous, or empty. The CIDR
     * must already parse; {@code field} says which list it came from, for the message.
     */
    public static Optional<String> policyNetwork(String field, Cidr c, NetworkContext ctx) {
        if (c.prefix() == 0) {
            return Optional.of(field.endsWith("destCIDR")
                    ? "covers every address; leave destCIDR empty to mean every destination outside the cluster"
                    : "covers every address, node and system traffic included; list the pods' networks");
        }
        for (Named n : RESERVED) {
            if (n.cidr().overlaps(c)) {
                return Optional.of("overlaps " + n.what() + " " + n.cidr().text()
                        + ", which never leaves through a gateway");
            }
        }
        for (String s : ctx.serviceCIDRs()) {
            Parsed<Cidr.Lenient> svc = Cidr.parseLenient(s);
            if (svc.isOk() && svc.orElseThrow().cidr().overlaps(c)) {
                return Optional.of("overlaps the service CIDR " + svc.orElseThrow().cidr().text()
                        + ", whose traffic kube-proxy handles inside the cluster");
            }
        }
        return Optional.empty();
    }

    private static String containsWord(IpRange r) {
        return r.size().equals(BigInteger.ONE) ? "is" : "contains";
    }

    private static Optional<IpAddress> address(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.indexOf('/') >= 0 ? text.substring(0, text.indexOf('/')) : text;
        Parsed<IpAddress> a = IpAddress.parse(t);
        return a.isOk() ? Optional.of(a.orElseThrow()) : Optional.empty();
    }
}
