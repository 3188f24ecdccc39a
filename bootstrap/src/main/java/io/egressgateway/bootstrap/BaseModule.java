package io.egressgateway.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import io.egressgateway.application.config.Settings;
import io.egressgateway.application.lifecycle.Service;

/** What every role shares: the settings, the command-line options and the (ordered) set of services. */
final class BaseModule extends AbstractModule {
    private final Settings settings;
    private final Main.CommonOptions options;

    BaseModule(Settings settings, Main.CommonOptions options) {
        this.settings = settings;
        this.options = options;
    }

    @Override
    protected void configure() {
        bind(Settings.class).toInstance(settings);
        bind(Main.CommonOptions.class).toInstance(options);
        Multibinder.newSetBinder(binder(), Service.class);
    }
}
