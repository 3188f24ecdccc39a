package io.egressgateway.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.egressgateway.adapters.linux.LinuxDatapath;
import io.egressgateway.application.config.Settings;

/** The Linux adapter: the node's kernel, or (testbed) the network namespace named by --netns. */
final class LinuxAdapterModule extends AbstractModule {
    @Provides
    @Singleton
    LinuxDatapath datapath(Settings settings, Main.CommonOptions options) {
        return LinuxDatapath.open(options.netns(), settings.iptables().backend(), settings.iptables().chainInsertMode());
    }
}
