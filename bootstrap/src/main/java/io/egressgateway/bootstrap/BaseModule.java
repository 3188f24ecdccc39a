package io.egressgateway.bootstrap;

import com.google.inject.AbstractModule;
import io.egressgateway.application.config.Settings;
import io.egressgateway.bootstrap.config.WebhookSettings;

/** What every role shares: the settings and the command-line options. */
final class BaseModule extends AbstractModule {
    private final Settings settings;
    private final WebhookSettings webhook;
    private final Main.CommonOptions options;

    BaseModule(Settings settings, WebhookSettings webhook, Main.CommonOptions options) {
        this.settings = settings;
        this.webhook = webhook;
        this.options = options;
    }

    @Override
    protected void configure() {
        bind(Settings.class).toInstance(settings);
        bind(WebhookSettings.class).toInstance(webhook);
        bind(Main.CommonOptions.class).toInstance(options);
    }
}
