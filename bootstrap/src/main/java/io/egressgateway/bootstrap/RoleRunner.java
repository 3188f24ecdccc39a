package io.egressgateway.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.egressgateway.adapters.webhook.WebhookConfig;
import io.egressgateway.application.config.Settings;
import io.egressgateway.application.lifecycle.Service;
import io.egressgateway.bootstrap.config.WebhookSettings;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the role's object graph, starts its services in order, and on SIGTERM (or SIGINT) stops them
 * in reverse order. A service that fails to start stops the ones already started and ends the
 * process with status 1.
 */
final class RoleRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RoleRunner.class);

    private final Main.Role role;
    private final Settings settings;
    private final WebhookSettings webhook;
    private final WebhookConfig.Limits http;
    private final Main.CommonOptions options;

    RoleRunner(Main.Role role, Settings settings, WebhookSettings webhook, WebhookConfig.Limits http,
               Main.CommonOptions options) {
        this.role = role;
        this.settings = settings;
        this.webhook = webhook;
        this.http = http;
        this.options = options;
    }

    int runUntilStopped() {
        Injector injector = Guice.createInjector(modules());
        List<Service> services = injector.getInstance(RoleServices.class).services();
        Deque<Service> started = new ArrayDeque<>();
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch stopRequested = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("stopping role={} reason=signal", role.text());
            stopRequested.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int status = 0;
        try {
            for (Service s : services) {
                LOG.info("starting service={} role={}", s.name(), role.text());
                s.start();
                started.push(s);
            }
            LOG.info("started role={} services={}", role.text(), started.size());
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("role={} failed to start: {}", role.text(), e.toString(), e);
            status = 1;
        } finally {
            while (!started.isEmpty()) {
                Service s = started.pop();
                try {
                    s.stop();
                    LOG.info("stopped service={}", s.name());
                } catch (RuntimeException e) {
                    LOG.warn("service={} failed to stop cleanly: {}", s.name(), e.toString());
                }
            }
            stopped.countDown();
        }
        if (status != 0) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        LOG.info("stopped role={}", role.text());
        return status;
    }

    private Module[] modules() {
        Module base = new BaseModule(settings, webhook, http, options);
        return switch (role) {
            case controller -> new Module[] {base, new ControllerRoleModule()};
            case agent -> new Module[] {base, new AgentRoleModule()};
        };
    }
}
