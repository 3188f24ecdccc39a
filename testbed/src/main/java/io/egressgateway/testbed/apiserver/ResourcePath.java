package io.egressgateway.testbed.apiserver;

import java.util.Optional;

/**
 * A request path of the Kubernetes REST API taken apart:
 * {@code /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]} or the same under
 * {@code /apis/{group}/{version}}. The query string is kept apart.
 */
record ResourcePath(String group, String version, String namespace, String resource, String name,
        String subresource, String query) {

    /** Empty for paths that name no resource (discovery, {@code /version}, {@code /openapi/...}). */
    static Optional<ResourcePath> parse(String rawPath) {
        int q = rawPath.indexOf('?');
        String path = q < 0 ? rawPath : rawPath.substring(0, q);
        String query = q < 0 ? "" : rawPath.substring(q + 1);
        String[] p = path.replaceAll("^/+|/+$", "").split("/");
        int i;
        String group;
        String version;
        if (p.length >= 3 && p[0].equals("api")) {
            group = "";
            version = p[1];
            i = 2;
        } else if (p.length >= 4 && p[0].equals("apis")) {
            group = p[1];
            version = p[2];
            i = 3;
        } else {
            return Optional.empty();
        }
        String namespace = null;
        // "namespaces/x" followed by more segments is a namespaced resource; alone it is the Namespace x.
        if (p.length - i >= 3 && p[i].equals("namespaces")) {
            namespace = p[i + 1];
            i += 2;
        }
        String resource = p[i];
        String name = p.length > i + 1 ? p[i + 1] : null;
        String sub = p.length > i + 2 ? p[i + 2] : null;
        return Optional.of(new ResourcePath(group, version, namespace, resource, name, sub, query));
    }

    /** The same path without subresource and query: where the object itself lives. */
    String objectPath() {
        StringBuilder b = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
        if (namespace != null) {
            b.append("/namespaces/").append(namespace);
        }
        b.append('/').append(resource);
        if (name != null) {
            b.append('/').append(name);
        }
        return b.toString();
    }

    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    boolean hasQueryFlag(String key, String value) {
        for (String kv : query.split("&")) {
            if (kv.equals(key + "=" + value)) {
                return true;
            }
        }
        return false;
    }
}
