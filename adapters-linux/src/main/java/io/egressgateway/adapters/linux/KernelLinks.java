package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.netlink.LinkCodec;
import io.egressgateway.adapters.linux.netlink.LinkCodec.LinkInfo;
import io.egressgateway.adapters.linux.netlink.NetlinkSocket;
import io.egressgateway.adapters.linux.netlink.NlMessage;
import io.egressgateway.adapters.linux.netlink.Rtnl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The namespace's links at one moment, by name and by index (from a dump, never from sysfs). */
final class KernelLinks {
    private final Map<String, LinkInfo> byName = new LinkedHashMap<>();
    private final Map<Integer, LinkInfo> byIndex = new LinkedHashMap<>();

    private KernelLinks(List<LinkInfo> links) {
        for (LinkInfo l : links) {
            byName.put(l.name(), l);
            byIndex.put(l.index(), l);
        }
    }

    static KernelLinks dump(NetlinkSocket nl) {
        return new KernelLinks(nl.dump(LinkCodec.dump(), "dump links").stream()
                .filter(m -> m.type() == Rtnl.RTM_NEWLINK).map(LinkCodec::decode).toList());
    }

    static KernelLinks of(List<NlMessage> messages) {
        return new KernelLinks(messages.stream().map(LinkCodec::decode).toList());
    }

    Optional<LinkInfo> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    Optional<LinkInfo> byIndex(int index) {
        return Optional.ofNullable(byIndex.get(index));
    }

    String name(int index) {
        return byIndex(index).map(LinkInfo::name).orElse(index == 0 ? "" : "if" + index);
    }

    /** The index of an existing device, or an error naming the device and what needed it. */
    int index(String name, String neededBy) {
        return byName(name).map(LinkInfo::index).orElseThrow(() -> new IllegalArgumentException(
                "interface " + name + " does not exist (needed by " + neededBy + ")"));
    }

    List<LinkInfo> all() {
        return List.copyOf(byName.values());
    }
}
