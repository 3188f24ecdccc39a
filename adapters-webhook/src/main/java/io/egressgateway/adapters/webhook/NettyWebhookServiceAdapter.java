package io.egressgateway.adapters.webhook;

import io.egressgateway.application.lifecycle.Service;

/** The webhook server as a role's long-running {@link Service}. */
final class NettyWebhookServiceAdapter implements Service {
    private final WebhookConfig config;
    private final WebhookServer.Wiring wiring;
    private volatile WebhookServer server;

    NettyWebhookServiceAdapter(WebhookConfig config, WebhookServer.Wiring wiring) {
        this.config = config;
        this.wiring = wiring;
    }

    @Override
    public String name() {
        return "http-server";
    }

    @Override
    public void start() throws Exception {
        server = WebhookServer.start(config, wiring);
    }

    @Override
    public void stop() {
        WebhookServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }
}
