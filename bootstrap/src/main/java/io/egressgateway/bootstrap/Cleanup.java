package io.egressgateway.bootstrap;

import io.egressgateway.application.config.Settings;
import io.egressgateway.bootstrap.config.SettingsLoader;

/** Wires the cleanup use case; filled in once the Linux adapter exists. */
final class Cleanup {
    private Cleanup() {
    }

    static int run(Main.CommonOptions common) {
        Settings settings = SettingsLoader.load(common.configFile(), System.getenv());
        System.err.println("cleanup: nothing to do yet for settings " + settings.tunnel());
        return 0;
    }
}
