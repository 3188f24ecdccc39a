package io.egressgateway.testbed.apiserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes API discovery documents ({@code /version}, {@code /api}, {@code /api/v1}, {@code /apis},
 * {@code /apis/<group>}, {@code /apis/<group>/<version>}) for the built-in resources the testbed uses
 * and every CustomResourceDefinition in the store. Only the legacy (unaggregated) form is served: kubectl
 * asks for aggregated discovery first and falls back to this when the answer is plain {@code application/json}.
 */
final class Discovery {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String RW = "create,delete,deletecollection,get,list,patch,update,watch";

    /** One resource of one group version, as discovery lists it. */
    record ApiResource(String group, String version, String plural, String singular, String kind,
            boolean namespaced, List<String> shortNames, boolean statusSubresource) {
    }

    private static final List<ApiResource> BUILT_IN = List.of(
            new ApiResource("", "v1", "pods", "pod", "Pod", true, List.of("po"), true),
            new ApiResource("", "v1", "nodes", "node", "Node", false, List.of("no"), true),
            new ApiResource("", "v1", "namespaces", "namespace", "Namespace", false, List.of("ns"), true),
            new ApiResource("", "v1", "services", "service", "Service", true, List.of("svc"), true),
            new ApiResource("", "v1", "endpoints", "endpoints", "Endpoints", true, List.of("ep"), false),
            new ApiResource("", "v1", "configmaps", "configmap", "ConfigMap", true, List.of("cm"), false),
            new ApiResource("", "v1", "secrets", "secret", "Secret", true, List.of(), false),
            new ApiResource("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), false),
            new ApiResource("", "v1", "events", "event", "Event", true, List.of("ev"), false),
            new ApiResource("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), false),
            new ApiResource("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true,
                    List.of(), false),
            new ApiResource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
                    "CustomResourceDefinition", false, List.of("crd", "crds"), true),
            new ApiResource("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations",
                    "validatingwebhookconfiguration", "ValidatingWebhookConfiguration", false, List.of(), false),
            new ApiResource("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations",
                    "mutatingwebhookconfiguration", "MutatingWebhookConfiguration", false, List.of(), false));

    private final Supplier<List<JsonNode>> crds;

    Discovery(Supplier<List<JsonNode>> crds) {
        this.crds = crds;
    }

    /** Every resource known now: the built-in ones, then those of the served CRD versions. */
    List<ApiResource> resources() {
        List<ApiResource> all = new ArrayList<>(BUILT_IN);
        for (JsonNode crd : crds.get()) {
            JsonNode spec = crd.path("spec");
            JsonNode names = spec.path("names");
            List<String> shortNames = new ArrayList<>();
            names.path("shortNames").forEach(n -> shortNames.add(n.asString()));
            for (JsonNode v : spec.path("versions")) {
                if (!v.path("served").asBoolean(true)) {
                    continue;
                }
                all.add(new ApiResource(spec.path("group").asString(), v.path("name").asString(),
                        names.path("plural").asString(), names.path("singular").asString(""),
                        names.path("kind").asString(), "Namespaced".equals(spec.path("scope").asString()),
                        List.copyOf(shortNames), v.path("subresources").has("status")));
            }
        }
        return all;
    }

    Optional<ApiResource> find(String group, String version, String plural) {
        return resources().stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
                .findFirst();
    }

    /** The document for a discovery path, or empty when the path is not a discovery path. */
    Optional<JsonNode> document(String path, String serverAddress) {
        String p = path.replaceAll("/+$", "");
        if (p.equals("/version")) {
            return Optional.of(version());
        }
        if (p.equals("/api")) {
            ObjectNode n = kindOf("APIVersions", null);
            n.putArray("versions").add("v1");
            n.putArray("serverAddressByClientCIDRs").addObject()
                    .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
            return Optional.of(n);
        }
        if (p.equals("/api/v1")) {
            return Optional.of(resourceList("", "v1"));
        }
        if (p.equals("/apis")) {
            ObjectNode n = kindOf("APIGroupList", "v1");
            ArrayNode groups = n.putArray("groups");
            groupVersions().forEach((g, versions) -> groups.add(group(g, versions)));
            return Optional.of(n);
        }
        String[] s = p.split("/");
        if (s.length < 3 || s.length > 4 || !s[1].equals("apis")) {
            return Optional.empty();
        }
        Map<String, List<String>> gv = groupVersions();
        if (s.length == 3 && gv.containsKey(s[2])) {
            ObjectNode n = group(s[2], gv.get(s[2]));
            n.put("kind", "APIGroup").put("apiVersion", "v1");
            return Optional.of(n);
        }
        if (s.length == 4 && gv.getOrDefault(s[2], List.of()).contains(s[3])) {
            return Optional.of(resourceList(s[2], s[3]));
        }
        return Optional.empty();
    }

    private static ObjectNode version() {
        return F.objectNode().put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-egressgateway-testbed")
                .put("gitCommit", "0000000000000000000000000000000000000000").put("gitTreeState", "clean")
                .put("buildDate", "2026-01-01T00:00:00Z").put("goVersion", "n/a (fabric8 mock server)")
                .put("compiler", "n/a").put("platform", "linux/amd64");
    }

    private Map<String, List<String>> groupVersions() {
        Map<String, List<String>> gv = new LinkedHashMap<>();
        for (ApiResource r : resources()) {
            if (!r.group().isEmpty()) {
                List<String> versions = gv.computeIfAbsent(r.group(), g -> new ArrayList<>());
                if (!versions.contains(r.version())) {
                    versions.add(r.version());
                }
            }
        }
        return gv;
    }

    private static ObjectNode group(String name, List<String> versions) {
        ObjectNode g = F.objectNode().put("name", name);
        ArrayNode vs = g.putArray("versions");
        versions.forEach(v -> vs.addObject().put("groupVersion", name + "/" + v).put("version", v));
        g.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0))
                .put("version", versions.get(0));
        return g;
    }

    private ObjectNode resourceList(String group, String version) {
        ObjectNode n = kindOf("APIResourceList", "v1");
        n.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode list = n.putArray("resources");
        for (ApiResource r : resources()) {
            if (!r.group().equals(group) || !r.version().equals(version)) {
                continue;
            }
            ObjectNode o = list.addObject().put("name", r.plural()).put("singularName", r.singular())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            ArrayNode verbs = o.putArray("verbs");
            for (String verb : RW.split(",")) {
                verbs.add(verb);
            }
            if (!r.shortNames().isEmpty()) {
                ArrayNode sn = o.putArray("shortNames");
                r.shortNames().forEach(sn::add);
            }
            if (r.statusSubresource()) {
                ObjectNode st = list.addObject().put("name", r.plural() + "/status").put("singularName", "")
                        .put("namespaced", r.namespaced()).put("kind", r.kind());
                st.putArray("verbs").add("get").add("patch").add("update");
            }
        }
        return n;
    }

    private static ObjectNode kindOf(String kind, String apiVersion) {
        ObjectNode n = F.objectNode().put("kind", kind);
        if (apiVersion != null) {
            n.put("apiVersion", apiVersion);
        }
        return n;
    }
}
