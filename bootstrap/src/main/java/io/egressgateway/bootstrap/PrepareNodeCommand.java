package io.egressgateway.bootstrap;

import io.egressgateway.adapters.linux.LinuxDatapath;
import io.egressgateway.application.agent.DomainDatapathPlanning;
import io.egressgateway.application.config.Settings;
import io.egressgateway.bootstrap.config.SettingsLoader;
import io.egressgateway.domain.datapath.Sysctl;
import io.egressgateway.domain.plan.NodeWideSysctls;
import io.egressgateway.domain.plan.PlannerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code egressgateway prepare-node}: sets the node-wide sysctls the agent needs and may not write
 * itself (an unprivileged container has /proc/sys read-only). Run once per node start, as the agent
 * pod's privileged init container; the agent then finds them right and writes nothing. A value
 * someone else chose is left alone (a non-zero fib_multipath_hash_policy). Idempotent.
 */
@Command(name = "prepare-node", mixinStandardHelpOptions = true,
        description = "Set the node-wide sysctls the agent needs (forwarding of the enabled families, the"
                + " multipath hash where it is 0, IPv6 proxy_ndp), then exit. Run it privileged, before the"
                + " agent (the agent pod's init container).")
final class PrepareNodeCommand implements Callable<Integer> {
    @Mixin
    Main.CommonOptions common = new Main.CommonOptions();

    @Option(names = "--multipath-hash", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Set fib_multipath_hash_policy to 1 (L4) where it is 0, for active-active gateways"
                    + " (default: ${DEFAULT-VALUE}); a non-zero value is always left as it is.")
    boolean multipathHash;

    @Override
    public Integer call() {
        Settings settings = SettingsLoader.load(common.configFile(), System.getenv());
        PlannerSettings ps = DomainDatapathPlanning.plannerSettings(settings);
        List<Sysctl> announcement = LinuxDatapath.announcementSysctls(settings.enableIPv6());
        List<String> paths = new ArrayList<>(NodeWideSysctls.paths(ps));
        announcement.forEach(s -> paths.add(s.path()));
        try {
            Map<String, String> observed = LinuxDatapath.readSysctls(common.netns(), paths);
            List<Sysctl> wanted = new ArrayList<>(NodeWideSysctls.forPrepareNode(ps, observed, multipathHash));
            announcement.stream().filter(s -> observed.containsKey(s.path())).forEach(wanted::add);
            paths.stream().filter(p -> !observed.containsKey(p))
                    .forEach(p -> System.out.println("prepare-node: " + p + " does not exist in this kernel; left out"));
            List<String> changed = LinuxDatapath.writeSysctls(common.netns(), wanted);
            changed.forEach(c -> System.out.println("prepare-node: set " + c));
            wanted.stream().filter(s -> s.value().equals(observed.get(s.path())))
                    .forEach(s -> System.out.println("prepare-node: " + s.path() + " = " + s.value() + " already"));
            return 0;
        } catch (RuntimeException e) {
            System.err.println("prepare-node: " + e.getMessage());
            return 1;
        }
    }
}
