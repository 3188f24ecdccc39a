package io.egressgateway.testbed.netns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating, listing and removing named network namespaces ({@code ip netns}), with their processes. */
public final class Netns {
    private static final Logger LOG = LoggerFactory.getLogger(Netns.class);

    private Netns() {
    }

    /** Creates {@code name} with its loopback up. */
    public static void create(String name) {
        ProcessRunner.run(List.of("ip", "netns", "add", name));
        ProcessRunner.runIn(name, List.of("ip", "link", "set", "lo", "up"));
    }

    public static List<String> list() {
        List<String> names = new ArrayList<>();
        for (String line : ProcessRunner.run(List.of("ip", "netns", "list")).stdout().split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** Kills every process left in {@code name}, then removes it; logs and continues on failure. */
    public static void delete(String name) {
        ProcessRunner.Result pids = ProcessRunner.tryRun(List.of("ip", "netns", "pids", name), Duration.ofSeconds(10));
        if (pids.ok()) {
            for (String pid : pids.stdout().split("\\s+")) {
                if (!pid.isBlank() && Long.parseLong(pid.trim()) != ProcessHandle.current().pid()) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ph -> {
                        LOG.info("testbed: killing pid={} left in netns={}", ph.pid(), name);
                        ph.destroyForcibly();
                    });
                }
            }
        }
        ProcessRunner.Result del = ProcessRunner.tryRun(List.of("ip", "netns", "del", name), Duration.ofSeconds(10));
        if (!del.ok() && list().contains(name)) {
            LOG.warn("testbed: cannot remove netns={}: {}", name, del.stderr().strip());
        }
    }
}
