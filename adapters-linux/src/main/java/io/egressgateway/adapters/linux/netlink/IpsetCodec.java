package io.egressgateway.adapters.linux.netlink;

import io.egressgateway.domain.net.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads ipsets by netlink (IPSET_CMD_LIST dump, what {@code ipset list} itself asks the kernel)
 * instead of starting {@code ipset save} and parsing its text. The kernel answers with one or more
 * messages per set: the first carries the type name and family, each carries a slice of the members
 * in IPSET_ATTR_ADT, one IPSET_ATTR_DATA per member holding its address (network byte order) and,
 * for the hash:net sets the agent owns, its prefix length.
 */
public final class IpsetCodec {
    private IpsetCodec() {
    }

    /** One set as listed: its type ("hash:net"), family and members as {@code address/prefix}. */
    public record ListedSet(String name, String type, Family family, List<String> members) {
    }

    /** The dump request for every set of the namespace. */
    public static NlMsg listAll() {
        return Nfnl.request(Nfnl.NFNL_SUBSYS_IPSET, Nfnl.IPSET_CMD_LIST, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP)
                .attrU8(Nfnl.IPSET_ATTR_PROTOCOL, Nfnl.IPSET_PROTOCOL);
    }

    /** Every set of the dump whose name starts with {@code prefix}, in the order the kernel listed them. */
    public static List<ListedSet> parse(List<NlMessage> dump, String prefix) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (NlMessage m : dump) {
            if (m.type() != Nfnl.type(Nfnl.NFNL_SUBSYS_IPSET, Nfnl.IPSET_CMD_LIST)) {
                continue;
            }
            NlAttrs a = m.attrs(Nfnl.NFGENMSG_LEN);
            Optional<String> name = a.string(Nfnl.IPSET_ATTR_SETNAME);
            if (name.isEmpty() || !name.get().startsWith(prefix)) {
                continue;
            }
            String n = name.get();
            List<String> mine = members.computeIfAbsent(n, k -> new ArrayList<>());
            a.string(Nfnl.IPSET_ATTR_TYPENAME).ifPresent(t -> types.put(n, t));
            a.u8(Nfnl.IPSET_ATTR_FAMILY).ifPresent(f -> families.put(n, f == Nfnl.NFPROTO_IPV6 ? Family.IPV6 : Family.IPV4));
            a.nested(Nfnl.IPSET_ATTR_ADT).ifPresent(adt -> {
                for (Map.Entry<Integer, byte[]> e : adt.all()) {
                    if (e.getKey() == Nfnl.IPSET_ATTR_DATA) {
                        member(NlAttrs.parse(e.getValue())).ifPresent(mine::add);
                    }
                }
            });
        }
        List<ListedSet> out = new ArrayList<>();
        members.forEach((n, ms) -> out.add(new ListedSet(n, types.getOrDefault(n, "?"),
                families.getOrDefault(n, Family.IPV4), ms)));
        return out;
    }

    /** One member: its address and prefix (a member without IPSET_ATTR_CIDR is a host). */
    static Optional<String> member(NlAttrs data) {
        Optional<NlAttrs> ip = data.nested(Nfnl.IPSET_ATTR_IP);
        if (ip.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> addr = ip.get().bytes(Nfnl.IPSET_ATTR_IPADDR_IPV4).filter(b -> b.length == 4)
                .or(() -> ip.get().bytes(Nfnl.IPSET_ATTR_IPADDR_IPV6).filter(b -> b.length == 16));
        if (addr.isEmpty()) {
            return Optional.empty();
        }
        int prefix = data.u8(Nfnl.IPSET_ATTR_CIDR).orElse(addr.get().length * 8);
        return Optional.of(InetText.format(addr.get()) + "/" + prefix);
    }
}
