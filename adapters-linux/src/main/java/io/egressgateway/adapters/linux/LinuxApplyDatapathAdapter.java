package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.ipset.IpsetDatapath;
import io.egressgateway.adapters.linux.iptables.IptablesDatapath;
import io.egressgateway.application.port.out.ApplyDatapathPort;
import io.egressgateway.domain.datapath.DatapathOp;
import io.egressgateway.domain.datapath.EipAnnouncement;
import io.egressgateway.domain.datapath.Kind;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.adapters.linux.sys.Sysctls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies operations in the order given. Consecutive iptables operations go to one restore per
 * family and consecutive ipset operations to one {@code ipset restore}; netlink operations go one by
 * one. A failure is recorded and the rest still applied. EIPs taken over are announced at the end,
 * once everything that carries their traffic is in place.
 */
final class LinuxApplyDatapathAdapter implements ApplyDatapathPort {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxApplyDatapathAdapter.class);
    private final LinuxDatapath owner;
    private final NetlinkApplier netlink;
    private final Supplier<IptablesDatapath> iptables;
    private final IpsetDatapath ipset;
    private final PacketAnnouncer announcer;

    LinuxApplyDatapathAdapter(LinuxDatapath owner, NetlinkApplier netlink, Supplier<IptablesDatapath> iptables,
                              IpsetDatapath ipset, PacketAnnouncer announcer) {
        this.owner = owner;
        this.netlink = netlink;
        this.iptables = iptables;
        this.ipset = ipset;
        this.announcer = announcer;
    }

    @Override
    public ApplyReport apply(List<DatapathOp> ops) {
        return owner.executor().call(() -> applyHere(ops));
    }

    private ApplyReport applyHere(List<DatapathOp> ops) {
        List<Failure> failures = new ArrayList<>();
        List<EipAnnouncement> takenOver = new ArrayList<>();
        List<DatapathOp> deferred = new ArrayList<>();
        netlink.refresh();
        int i = 0;
        while (i < ops.size()) {
            DatapathOp op = ops.get(i);
            if (isIptables(op) || op.kind() == Kind.IPSET) {
                boolean ipt = isIptables(op);
                int j = i;
                while (j < ops.size() && (ipt ? isIptables(ops.get(j)) : ops.get(j).kind() == Kind.IPSET)) {
                    j++;
                }
                List<DatapathOp> batch = ops.subList(i, j);
                Map<DatapathOp, String> failed;
                try {
                    failed = ipt ? iptables.get().apply(batch) : ipset.apply(batch);
                } catch (RuntimeException e) {
                    failed = new LinkedHashMap<>();
                    for (DatapathOp b : batch) {
                        failed.put(b, e.getMessage());
                    }
                }
                failed.forEach((o, reason) -> failures.add(fail(o, reason)));
                i = j;
                continue;
            }
            if (op.object() instanceof Sysctl s && Sysctls.read(s.path()).isEmpty()) {
                // a per-device sysctl of a device this same apply creates: set it once the device exists
                deferred.add(op);
            } else {
                applyOne(op, failures, takenOver);
            }
            i++;
        }
        deferred.forEach(op -> applyOne(op, failures, takenOver));
        try {
            netlink.afterApply();
        } catch (RuntimeException e) {
            LOG.warn("unused next-hop groups not removed: {}", e.getMessage());
        }
        announce(takenOver);
        if (!ops.isEmpty()) {
            LOG.info("applied {} of {} datapath operations ({} failed)", ops.size() - failures.size(), ops.size(),
                    failures.size());
        }
        return new ApplyReport(ops.size() - failures.size(), failures);
    }

    private void applyOne(DatapathOp op, List<Failure> failures, List<EipAnnouncement> takenOver) {
        try {
            if (op.kind() == Kind.NFACCT) {
                owner.nfacct().apply(op);
            } else if (netlink.apply(op)) {
                takenOver.add((EipAnnouncement) op.object());
            }
        } catch (RuntimeException e) {
            failures.add(fail(op, e.getMessage()));
        }
    }

    private void announce(List<EipAnnouncement> takenOver) {
        if (takenOver.isEmpty()) {
            return;
        }
        netlink.refresh();
        KernelLinks links = netlink.links();
        List<PacketAnnouncer.Target> targets = new ArrayList<>();
        for (EipAnnouncement e : takenOver) {
            links.byName(e.device()).filter(l -> l.mac() != null).ifPresent(l ->
                    targets.add(new PacketAnnouncer.Target(e.ip(), e.device(), l.index(), l.mac())));
        }
        owner.lastAnnouncement(announcer.announce(targets));
    }

    private static Failure fail(DatapathOp op, String reason) {
        LOG.warn("datapath operation failed: {}: {}", op.render(), reason);
        return new Failure(op, reason);
    }

    private static boolean isIptables(DatapathOp op) {
        return op.kind() == Kind.IPTABLES_CHAIN || op.kind() == Kind.IPTABLES_JUMP;
    }
}
