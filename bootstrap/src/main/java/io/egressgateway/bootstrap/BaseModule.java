package io.egressgateway.bootstrap;

import com.google.inject.AbstractModule;
import io.egressgateway.adapters.webhook.WebhookConfig;
import io.egressgateway.application.config.Settings;
import io.egressgateway.bootstrap.config.WebhookSettings;

/** What every role shares: the settings and the command-line options. */
final class BaseModule extends AbstractModule {
    private final Settings settings;
    private final WebhookSettings webhook;
    private final WebhookConfig.Limits http;
    private final Main.CommonOptions options;

    BaseModule(Settings settings, WebhookSettings webhook, WebhookConfig.Limits http, Main.CommonOptions options) {
        this.settings = settings;
        this.webhook = webhook;
        this.http = http;
        this.options = options;
    }

    @Override
    protected void configure() {
        bind(Settings.class).toInstance(settings);
        bind(WebhookSettings.class).toInstance(webhook);
        bind(WebhookConfig.Limits.class).toInstance(http);
        bind(Main.CommonOptions.class).toInstance(options);
    }
}
