package io.egressgateway.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pod the controller's informer keeps: a new object with only what {@code ResourceMapping.pod}
 * reads (name, namespace, labels, deletion time, nodeName, hostNetwork, phase, IPs) and the
 * resourceVersion the informer compares, nothing else (docs/controller.md, "Watches"). The controller
 * caches every Pod of the cluster, so a Pod's per-object cost is multiplied by 10,000 at the bench's
 * scale: fabric8's model objects start with an empty {@code ArrayList} or {@code LinkedHashMap} in
 * every collection field (30 in a {@code PodSpec} alone, about 1 KiB of empty collections per Pod),
 * so the kept objects get the shared immutable empty ones instead, and the labels an immutable copy
 * (which {@code PodInfo}'s own copy then reuses). Strings that repeat across Pods (namespace, node,
 * phase, label keys and values) are interned. The result is read-only: nothing writes a cached Pod
 * back, and a change to one of its collections throws.
 */
final class CompactPod {
    /** Per model class: its instance fields of type List or Map (fabric8's generated models have no others). */
    private static final ClassValue<List<Field>> COLLECTIONS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> out = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    boolean collection = f.getType() == List.class || f.getType() == Map.class;
                    if (collection && !Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
                        f.setAccessible(true);
                        out.add(f);
                    }
                }
            }
            return List.copyOf(out);
        }
    };

    private CompactPod() {
    }

    /** A compact copy of {@code p} (which is left as it was). */
    static Pod of(Pod p) {
        Pod out = shared(new Pod());
        out.setApiVersion(intern(p.getApiVersion()));
        out.setKind(intern(p.getKind()));
        ObjectMeta m = p.getMetadata();
        if (m != null) {
            ObjectMeta km = shared(new ObjectMeta());
            km.setName(m.getName());
            km.setNamespace(intern(m.getNamespace()));
            km.setResourceVersion(m.getResourceVersion());
            km.setDeletionTimestamp(m.getDeletionTimestamp());
            km.setLabels(labels(m.getLabels()));
            out.setMetadata(km);
        }
        PodSpec spec = p.getSpec();
        if (spec != null) {
            PodSpec ks = shared(new PodSpec());
            ks.setNodeName(intern(spec.getNodeName()));
            ks.setHostNetwork(spec.getHostNetwork());
            out.setSpec(ks);
        }
        PodStatus status = p.getStatus();
        if (status != null) {
            PodStatus kst = shared(new PodStatus());
            kst.setPhase(intern(status.getPhase()));
            kst.setPodIP(status.getPodIP());
            if (status.getPodIPs() != null && !status.getPodIPs().isEmpty()) {
                List<PodIP> ips = new ArrayList<>(status.getPodIPs().size());
                for (PodIP ip : status.getPodIPs()) {
                    PodIP k = shared(new PodIP());
                    // the first of podIPs is podIP: one String for both
                    k.setIp(ip.getIp() != null && ip.getIp().equals(status.getPodIP()) ? status.getPodIP() : ip.getIp());
                    ips.add(k);
                }
                kst.setPodIPs(List.copyOf(ips));
            }
            out.setStatus(kst);
        }
        return out;
    }

    /** Replaces every empty List/Map field of a fabric8 model object with the shared immutable empty one. */
    static <T> T shared(T model) {
        for (Field f : COLLECTIONS.get(model.getClass())) {
            try {
                Object v = f.get(model);
                if (v instanceof List<?> l && l.isEmpty()) {
                    f.set(model, List.of());
                } else if (v instanceof Map<?, ?> mp && mp.isEmpty()) {
                    f.set(model, Map.of());
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot compact " + f, e);
            }
        }
        return model;
    }

    private static Map<String, String> labels(Map<String, String> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>(in.size() * 2);
        for (Map.Entry<String, String> e : in.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                return in; // never from an API server; kept as it came rather than failing the informer
            }
            out.put(e.getKey().intern(), e.getValue().intern());
        }
        return Map.copyOf(out);
    }

    private static String intern(String s) {
        return s == null ? null : s.intern();
    }
}
