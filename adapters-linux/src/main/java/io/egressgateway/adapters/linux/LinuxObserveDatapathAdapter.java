package io.egressgateway.adapters.linux;

import io.egressgateway.adapters.linux.ipset.IpsetDatapath;
import io.egressgateway.adapters.linux.iptables.IptablesDatapath;
import io.egressgateway.adapters.linux.sys.MissingToolException;
import io.egressgateway.application.port.out.ObserveDatapathPort;
import io.egressgateway.domain.datapath.Datapath;
import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.OwnershipScope;
import java.util.ArrayList;
import java.util.List;
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

    @Override
    public Datapath observe(OwnershipScope scope) {
        return owner.executor().call(() -> {
            List<DatapathObject> all = new ArrayList<>(netlink.observe(scope));
            try {
                all.addAll(ipset.observe(scope.ipsetPrefix()));
            } catch (MissingToolException e) {
                LOG.warn("ipsets not observed: {}", e.getMessage());
            }
            try {
                all.addAll(iptables.get().observe(scope));
            } catch (MissingToolException e) {
                LOG.warn("iptables not observed: {}", e.getMessage());
            }
            return Datapath.of(all);
        });
    }
}
