package io.egressgateway.adapters.kubernetes;

import io.egressgateway.domain.cluster.DiscoveredNetworks;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster networks the API server may or may not serve: ServiceCIDR objects
 * (networking.k8s.io v1, else v1beta1; Kubernetes 1.33+) and Calico IPPools
 * (crd.projectcalico.org/v1, present only where Calico's CRDs are installed). Discovery says which
 * exist; for each one found a generic informer starts. Discovery is repeated every
 * {@link #RECHECK_SECONDS} while a kind is missing, so a CRD installed later is picked up; a kind
 * that never appears costs one discovery request per period. A source counts as synced once its
 * discovery answered and, when served, its informer listed (or its list was refused: then it is
 * treated as absent, loudly, rather than stopping every reconcile).
 */
final class ClusterNetworkSources {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNetworkSources.class);
    static final long RECHECK_SECONDS = 30;
    /** After a failed discovery request (API server restarting): the controller waits for the answer. */
    static final long RETRY_SECONDS = 2;
    static final Source SERVICE_CIDRS = new Source("ServiceCIDR", "networking.k8s.io", List.of("v1", "v1beta1"),
            "servicecidrs", r -> strings(spec(r).get("cidrs")));
    /**
     * A disabled pool hands out no pod address; Calico's documented way to keep natOutgoing away from
     * a destination is a disabled pool covering it, so such a pool is an outside network, not ours.
     */
    static final Source CALICO_POOLS = new Source("IPPool", "crd.projectcalico.org", List.of("v1"), "ippools",
            r -> Boolean.TRUE.equals(spec(r).get("disabled")) ? List.of() : strings(spec(r).get("cidr")));

    /** One optional kind: where to look and how to read its CIDRs. */
    record Source(String kind, String group, List<String> versions, String plural,
                  Function<GenericKubernetesResource, List<String>> cidrs) {
    }

    private final KubernetesClient client;
    private final List<Watched> watched = List.of(new Watched(SERVICE_CIDRS), new Watched(CALICO_POOLS));
    private ScheduledExecutorService timer;

    ClusterNetworkSources(KubernetesClient client) {
        this.client = client;
    }

    private final class Watched {
        final Source source;
        volatile boolean discovered;
        volatile String apiVersion;
        volatile boolean refused;
        volatile SharedIndexInformer<GenericKubernetesResource> informer;

        Watched(Source source) {
            this.source = source;
        }

        /** One discovery round for this kind; false when the request failed (retry soon). */
        boolean check(Consumer<String> onChange) {
            if (informer != null) {
                return true;
            }
            String found = null;
            try {
                for (String v : source.versions()) {
                    APIResourceList l = client.getApiResources(source.group() + "/" + v);
                    if (l != null && l.getResources() != null
                            && l.getResources().stream().anyMatch(r -> source.plural().equals(r.getName()))) {
                        found = source.group() + "/" + v;
                        break;
                    }
                }
            } catch (KubernetesClientException e) {
                LOG.warn("kind={} discovery failed, retrying in {} s: {}", source.kind(), RETRY_SECONDS, e.toString());
                return false;
            }
            if (found == null) {
                if (!discovered) {
                    LOG.info("kind={} is not served by the API server ({}): looking again every {} s", source.kind(),
                            source.group(), RECHECK_SECONDS);
                }
                discovered = true;
                return true;
            }
            ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder().withGroup(source.group())
                    .withVersion(found.substring(found.indexOf('/') + 1)).withPlural(source.plural())
                    .withKind(source.kind()).withNamespaced(false).build();
            SharedIndexInformer<GenericKubernetesResource> i = client.genericKubernetesResources(ctx).runnableInformer(0);
            i.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource obj) {
                    onChange.accept(source.kind() + "/" + obj.getMetadata().getName());
                }

                @Override
                public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                    onAdd(newObj);
                }

                @Override
                public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                    onAdd(obj);
                }
            });
            i.exceptionHandler((started, t) -> {
                if (!refused) {
                    LOG.warn("kind={} list/watch failed, counted as absent until it succeeds (check RBAC for {}): {}",
                            source.kind(), source.plural(), t.toString());
                }
                refused = true;
                onChange.accept(source.kind() + "/");
                return true;
            });
            apiVersion = found;
            informer = i;
            discovered = true;
            LOG.info("kind={} served as {}: watching", source.kind(), found);
            i.start();
            onChange.accept(source.kind() + "/");
            return true;
        }

        boolean synced() {
            SharedIndexInformer<GenericKubernetesResource> i = informer;
            return discovered && (i == null || i.hasSynced() || refused);
        }

        List<DiscoveredNetworks.Named> objects() {
            SharedIndexInformer<GenericKubernetesResource> i = informer;
            if (i == null) {
                return List.of();
            }
            List<DiscoveredNetworks.Named> out = new ArrayList<>();
            i.getStore().list().stream().sorted(Comparator.comparing(r -> r.getMetadata().getName()))
                    .forEach(r -> out.add(new DiscoveredNetworks.Named(source.kind() + "/" + r.getMetadata().getName(),
                            source.cidrs().apply(r))));
            return out;
        }

        String servedAs() {
            return informer != null && (!refused || informer.hasSynced()) ? apiVersion : null;
        }
    }

    synchronized void start(Consumer<String> onChange) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-network-discovery");
            t.setDaemon(true);
            return t;
        });
        timer.execute(() -> round(onChange));
    }

    /** Discovery for every kind, then the next round: soon after a failure, else after the re-check period. */
    private void round(Consumer<String> onChange) {
        boolean ok = true;
        for (Watched w : watched) {
            try {
                ok &= w.check(onChange);
            } catch (RuntimeException e) {
                ok = false;
                LOG.warn("kind={} discovery failed: {}", w.source.kind(), e.toString());
            }
        }
        synchronized (this) {
            if (timer != null && !timer.isShutdown()) {
                timer.schedule(() -> round(onChange), ok ? RECHECK_SECONDS : RETRY_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    boolean synced() {
        return watched.stream().allMatch(Watched::synced);
    }

    DiscoveredNetworks snapshot() {
        Watched services = watched.get(0);
        Watched pools = watched.get(1);
        return new DiscoveredNetworks(services.servedAs(), services.objects(), pools.servedAs(), pools.objects());
    }

    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        for (Watched w : watched) {
            SharedIndexInformer<GenericKubernetesResource> i = w.informer;
            if (i != null) {
                i.stop();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource r) {
        Object s = r.getAdditionalProperties().get("spec");
        return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<String> strings(Object v) {
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> l) {
            return l.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
