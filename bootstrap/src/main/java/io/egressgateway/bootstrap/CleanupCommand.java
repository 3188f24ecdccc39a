package io.egressgateway.bootstrap;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code egressgateway cleanup}: removes every kernel object the agent owns on this node. */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = "Remove every kernel object the agent owns on this node (devices, ipsets, chains,"
                + " rules, routes, EIP announcements). Run it after removing the agent, to uninstall cleanly.")
final class CleanupCommand implements Callable<Integer> {
    @Mixin
    Main.CommonOptions common = new Main.CommonOptions();

    @Override
    public Integer call() {
        return Cleanup.run(common);
    }
}
