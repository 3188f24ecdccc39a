package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.ipset.IpsetDatapath;
import io.egressgateway.adapters.linux.iptables.IptablesDatapath;
import io.egressgateway.adapters.linux.sys.MissingToolException;
import io.egressgateway.application.port.out.ObserveDatapathPort;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.OwnershipScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the owned datapath. A missing iptables or ipset binary is logged and that part reported
 * empty: the apply of its operations then fails with the same clear message, and everything else
 * still gets observed and repaired.
 */
final class LinuxObserveDatapathAdapter implements ObserveDatapathPort {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxObserveDatapathAdapter.class);
    private final LinuxDatapath owner;
    private final NetlinkObserver netlink;
    private final Supplier<IptablesDatapath> iptables;
    private final IpsetDatapath ipset;

    LinuxObserveDatapathAdapter(LinuxDatapath owner, NetlinkObserver netlink, Supplier<IptablesDatapath> iptables,
                                IpsetDatapath ipset) {
        this.owner = owner;
        this.netlink = netlink;
        this.iptables = iptables;
        this.ipset = ipset;
    }

    /**
     * The kernel can hold two objects where the model has one key (two routes to one prefix with
     * different metrics, two rules of one priority and mark): the first is reported, the next pass
     * replaces it, and the other then comes up and is dealt with in turn.
     */
    static List<DatapathObject> firstPerKey(List<DatapathObject> all) {
        Map<String, DatapathObject> first = new LinkedHashMap<>();
        for (DatapathObject o : all) {
            DatapathObject kept = first.putIfAbsent(o.kind() + "|" + o.key(), o);
            if (kept != null && !kept.equals(o)) {
                LOG.warn("two kernel objects for one key, reporting the first: {} / {}", kept.render(), o.render());
            }
        }
        return List.copyOf(first.values());
    }

    @Override
    public Datapath observe(OwnershipScope scope) {
        return owner.executor().call(() -> {
            long t0 = System.nanoTime();
            List<DatapathObject> all = new ArrayList<>(netlink.observe(scope));
            long t1 = System.nanoTime();
            try {
                all.addAll(ipset.observe(scope.ipsetPrefix()));
            } catch (MissingToolException e) {
                LOG.warn("ipsets not observed: {}", e.getMessage());
            }
            long t2 = System.nanoTime();
            try {
                all.addAll(iptables.get().observe(scope));
            } catch (MissingToolException e) {
                LOG.warn("iptables not observed: {}", e.getMessage());
            }
            try {
                all.addAll(owner.nfacct().observe());
            } catch (RuntimeException e) {
                LOG.warn("traffic counters not observed: {}", e.getMessage());
            }
            long t3 = System.nanoTime();
            LOG.debug("observed {} objects: netlink {} ms, ipset {} ms, iptables {} ms", all.size(),
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
            return Datapath.of(firstPerKey(all));
        });
    }
}
