package io.egressgateway.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The grants of one role in deploy/rbac.yaml as "group resource verb" lines, cluster-wide from
 * its ClusterRole and "ns:group resource verb" from its Role, and the requests the mock server
 * recorded in the same form.
 */
final class RbacRules {
    private RbacRules() {
    }

    static Set<String> granted(KubernetesClient client, String role) {
        Set<String> out = new TreeSet<>();
        try (InputStream in = Files.newInputStream(Path.of("../deploy/rbac.yaml"))) {
            List<HasMetadata> items = client.load(in).items();
            for (HasMetadata o : items) {
                if (!role.equals(o.getMetadata().getName())) {
                    continue;
                }
                if (o instanceof ClusterRole cr) {
                    add(out, "", cr.getRules());
                } else if (o instanceof Role r) {
                    add(out, r.getMetadata().getNamespace() + ":", r.getRules());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void add(Set<String> out, String prefix, List<PolicyRule> rules) {
        for (PolicyRule r : rules) {
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String v : r.getVerbs()) {
                        out.add(prefix + (g.isEmpty() ? "core" : g) + " " + res + " " + v);
                    }
                }
            }
        }
    }

    static final String DISCOVERY = "discovery";

    /** "METHOD /path?query" to the grant it needs; namespaced requests to "ns:..." form. */
    static String needed(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        String[] s = path.substring(1).split("/");
        if (s.length <= (s[0].equals("api") ? 2 : 3)) {
            return DISCOVERY; // /api, /apis/<group>/<version>: every authenticated user may (system:discovery)
        }
        String group;
        int i;
        if (s[0].equals("api")) {
            group = "core";
            i = 2;
        } else {
            group = s[1];
            i = 3;
        }
        String ns = null;
        if (s.length - i >= 3 && s[i].equals("namespaces")) {
            ns = s[i + 1];
            i += 2;
        }
        String resource = s[i];
        String name = s.length > i + 1 ? s[i + 1] : null;
        String sub = s.length > i + 2 ? s[i + 2] : null;
        boolean watch = query.contains("watch=true");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : name != null ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return (ns == null ? "" : ns + ":") + group + " " + resource + (sub == null ? "" : "/" + sub) + " " + verb;
    }
}
