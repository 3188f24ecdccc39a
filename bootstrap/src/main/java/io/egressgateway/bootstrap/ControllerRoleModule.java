package io.egressgateway.bootstrap;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.egressgateway.adapters.kubernetes.KubernetesAdapters;
import io.egressgateway.adapters.webhook.WebhookConfig;
import io.egressgateway.adapters.webhook.WebhookServer;
import io.egressgateway.application.admission.AdmissionService;
import io.egressgateway.application.config.Settings;
import io.egressgateway.application.controller.ControllerMetrics;
import io.egressgateway.application.metrics.MetricSources;
import io.egressgateway.application.lifecycle.Service;
import io.egressgateway.application.port.out.PublishCaBundlePort;
import io.egressgateway.bootstrap.config.WebhookSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The controller role: allocation, election, EIP placement, endpoint slices, admission. */
final class ControllerRoleModule extends AbstractModule {
    @Override
    protected void configure() {
        install(new KubernetesAdapterModule());
        install(new WebhookAdapterModule());
    }

    @Provides
    @Singleton
    RoleServices services(Settings settings, WebhookSettings webhook, WebhookConfig.Limits limits, KubernetesAdapters kube,
                          MetricRegistry metrics) {
        List<Service> services = new ArrayList<>();
        services.add(new Closer("kubernetes client", kube));
        services.add(kube.clusterResourcesService());
        AdmissionService admission = new AdmissionService(kube.readClusterResources(), Set.of(webhook.controllerUser()),
                false, settings.cluster().network());
        WebhookConfig http = WebhookConfig.of(settings.ports(), tls(settings, webhook), limits);
        boolean selfSigned = webhook.certFile().isEmpty();
        // a loop that completes no pass for a minute is stuck (passes run every half gatewayInterval)
        Duration stuck = Duration.ofSeconds(60).plus(settings.heartbeat().gatewayInterval().multipliedBy(10));
        // self-signed: the CA lives in a Secret (same CA across restarts and replicas), and a watch puts
        // the caBundle back whenever the webhook configurations lose it (re-apply of deploy/webhooks.yaml)
        services.add(WebhookServer.service(http, new WebhookServer.Wiring(admission, metrics,
                kube.controllerLiveness(stuck), kube.controllerReadiness(), caPublisher(webhook, kube),
                selfSigned ? kube.storeWebhookCa() : null).withSources(metricSources(kube))));
        if (selfSigned) {
            services.add(kube.caBundleService());
        }
        if (settings.agent().witnessPort() > 0) {
            // the key the agents' witness exchange is signed with (docs/agent.md, "API server outages")
            services.add(io.egressgateway.application.agent.WitnessKeyService.creating(kube.witnessKey()));
        }
        services.addAll(kube.controller(identity()));
        return new RoleServices(services);
    }

    /** What the controller's /metrics adds to the JVM's and the webhook's (docs/metrics.md). */
    private static MetricSources metricSources(KubernetesAdapters kube) {
        MetricSources sources = new MetricSources();
        sources.add(BuildInfo.of("controller"));
        sources.add(new ControllerMetrics(kube.controllerStats()));
        return sources;
    }

    private static WebhookConfig.Tls tls(Settings settings, WebhookSettings w) {
        if (w.certFile().isPresent()) {
            return WebhookConfig.Tls.files(w.certFile().get(), w.keyFile().orElseThrow(), w.caFile().orElse(null));
        }
        String svc = w.service();
        String ns = settings.namespace();
        // 127.0.0.1 as well: the testbed's API server calls the webhook on loopback.
        return new WebhookConfig.Tls(WebhookConfig.Tls.Mode.SELF_SIGNED, List.of(svc, svc + "." + ns, svc + "." + ns + ".svc",
                svc + "." + ns + ".svc.cluster.local", "127.0.0.1"), null, null, null, Duration.ofDays(365),
                Duration.ofDays(30), Duration.ofMinutes(10));
    }

    /**
     * Self-signed: into the webhook configurations (and a file when configured, which the testbed
     * reads). Mounted files: only the file, if any; whoever mounts them keeps caBundle (cert-manager).
     */
    private static PublishCaBundlePort caPublisher(WebhookSettings w, KubernetesAdapters kube) {
        PublishCaBundlePort file = w.caBundleFile().map(WebhookServer::caBundleFile).orElse(WebhookServer.noCaPublisher());
        if (w.certFile().isPresent()) {
            return file;
        }
        PublishCaBundlePort configurations = kube.publishCaBundle();
        return pem -> {
            file.publish(pem);
            configurations.publish(pem);
        };
    }

    private static String identity() {
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (Exception e) {
            return "controller-" + ProcessHandle.current().pid();
        }
    }
}
