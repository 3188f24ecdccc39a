package io.egressgateway.testbed.apiserver;

import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls the admission webhooks stored in the API server (Mutating first, in name order, then
 * Validating) the way kube-apiserver does: an AdmissionReview v1 per matching webhook, JSONPatch
 * of mutating webhooks applied in turn, the first denial refuses the write with the webhook's
 * message, a failed call refuses it unless {@code failurePolicy: Ignore}.
 *
 * <p>Not implemented: {@code namespaceSelector}, {@code matchConditions}, reinvocation, and set-based
 * {@code objectSelector} expressions (only {@code matchLabels}); the project's kinds are cluster scoped.
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    private final Supplier<List<JsonNode>> mutatingConfigs;
    private final Supplier<List<JsonNode>> validatingConfigs;
    private final WebhookTransport transport;

    Admission(Supplier<List<JsonNode>> mutatingConfigs, Supplier<List<JsonNode>> validatingConfigs,
            WebhookTransport transport) {
        this.mutatingConfigs = mutatingConfigs;
        this.validatingConfigs = validatingConfigs;
        this.transport = transport;
    }

    /** One write as admission sees it. {@code object} is null for DELETE, {@code oldObject} for CREATE. */
    record Request(String operation, Discovery.ApiResource resource, String subresource, String namespace,
            String name, JsonNode object, JsonNode oldObject) {
    }

    AdmissionResult admit(Request req) {
        if (req.resource().group().equals("admissionregistration.k8s.io")) {
            return new AdmissionResult.Allowed(req.object(), List.of());
        }
        List<String> warnings = new ArrayList<>();
        JsonNode object = req.object();
        for (JsonNode hook : webhooks(mutatingConfigs.get())) {
            if (!matches(hook, req, object)) {
                continue;
            }
            Request current = new Request(req.operation(), req.resource(), req.subresource(), req.namespace(),
                    req.name(), object, req.oldObject());
            Verdict v = call(hook, current);
            warnings.addAll(v.warnings());
            if (v.denial() != null) {
                return v.denial();
            }
            if (v.patch() != null && object != null) {
                object = JsonPatch.apply(v.patch(), object);
                LOG.info("admission: webhook={} patched {} {}", hook.path("name").asString(), req.resource().kind(),
                        req.name());
            }
        }
        for (JsonNode hook : webhooks(validatingConfigs.get())) {
            if (!matches(hook, req, object)) {
                continue;
            }
            Verdict v = call(hook, new Request(req.operation(), req.resource(), req.subresource(), req.namespace(),
                    req.name(), object, req.oldObject()));
            warnings.addAll(v.warnings());
            if (v.denial() != null) {
                return v.denial();
            }
        }
        return new AdmissionResult.Allowed(object, warnings);
    }

    private record Verdict(AdmissionResult.Denied denial, JsonNode patch, List<String> warnings) {
    }

    private static List<JsonNode> webhooks(List<JsonNode> configs) {
        List<JsonNode> hooks = new ArrayList<>();
        configs.stream()
                .sorted((a, b) -> a.path("metadata").path("name").asString("")
                        .compareTo(b.path("metadata").path("name").asString("")))
                .forEach(c -> c.path("webhooks").forEach(hooks::add));
        return hooks;
    }

    static boolean matches(JsonNode hook, Request req, JsonNode object) {
        boolean ruleMatches = false;
        for (JsonNode rule : hook.path("rules")) {
            if (anyOf(rule.path("operations"), req.operation())
                    && anyOf(rule.path("apiGroups"), req.resource().group())
                    && anyOf(rule.path("apiVersions"), req.resource().version())
                    && resourceMatches(rule.path("resources"), req.resource().plural(), req.subresource())
                    && scopeMatches(rule.path("scope").asString("*"), req.resource().namespaced())) {
                ruleMatches = true;
                break;
            }
        }
        if (!ruleMatches) {
            return false;
        }
        JsonNode matchLabels = hook.path("objectSelector").path("matchLabels");
        if (matchLabels.isObject() && !matchLabels.isEmpty()) {
            return labelsMatch(matchLabels, object) || labelsMatch(matchLabels, req.oldObject());
        }
        return true;
    }

    private static boolean labelsMatch(JsonNode matchLabels, JsonNode object) {
        if (object == null) {
            return false;
        }
        JsonNode labels = object.path("metadata").path("labels");
        for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
            if (!e.getValue().asString().equals(labels.path(e.getKey()).asString(null))) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyOf(JsonNode list, String value) {
        for (JsonNode n : list) {
            if (n.asString().equals("*") || n.asString().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean resourceMatches(JsonNode resources, String plural, String sub) {
        String want = sub == null ? plural : plural + "/" + sub;
        for (JsonNode n : resources) {
            String r = n.asString();
            String[] rs = r.split("/", 2);
            boolean resOk = rs[0].equals("*") || rs[0].equals(plural);
            boolean subOk = rs.length == 1 ? sub == null : rs[1].equals("*") || rs[1].equals(sub);
            if (r.equals(want) || (resOk && subOk)) {
                return true;
            }
        }
        return false;
    }

    private static boolean scopeMatches(String scope, boolean namespaced) {
        return scope.equals("*") || scope.equals(namespaced ? "Namespaced" : "Cluster");
    }

    private Verdict call(JsonNode hook, Request req) {
        String name = hook.path("name").asString();
        String uid = UUID.randomUUID().toString();
        boolean failOpen = "Ignore".equals(hook.path("failurePolicy").asString("Fail"));
        JsonNode clientConfig = hook.path("clientConfig");
        String url = clientConfig.path("url").asString(null);
        if (url == null) {
            String msg = "failed calling webhook \"" + name + "\": the testbed API server cannot reach service "
                    + clientConfig.path("service").path("namespace").asString("?") + "/"
                    + clientConfig.path("service").path("name").asString("?")
                    + " (install the webhook configuration with an endpoint override)";
            return failure(failOpen, name, msg);
        }
        try {
            JsonNode response = transport.post(url, clientConfig.path("caBundle").asString(null), review(uid, req),
                    Duration.ofSeconds(hook.path("timeoutSeconds").asInt(10)));
            JsonNode r = response.path("response");
            if (!uid.equals(r.path("uid").asString(""))) {
                return failure(failOpen, name, "failed calling webhook \"" + name + "\": expected response.uid=" + uid
                        + ", got " + r.path("uid").asString("<none>"));
            }
            List<String> warnings = new ArrayList<>();
            r.path("warnings").forEach(w -> warnings.add(w.asString()));
            if (!r.path("allowed").asBoolean(false)) {
                return new Verdict(denied(name, r.path("result")), null, warnings);
            }
            JsonNode patch = null;
            if (r.hasNonNull("patch")) {
                patch = Json.parse(new String(Base64.getDecoder().decode(r.path("patch").asString()),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            return new Verdict(null, patch, warnings);
        } catch (IOException | RuntimeException e) {
            return failure(failOpen, name, "failed calling webhook \"" + name + "\": " + e.getMessage());
        }
    }

    private static Verdict failure(boolean failOpen, String name, String message) {
        if (failOpen) {
            LOG.warn("admission: webhook={} ignored (failurePolicy=Ignore): {}", name, message);
            return new Verdict(null, null, List.of());
        }
        LOG.warn("admission: webhook={} refused the write: {}", name, message);
        return new Verdict(new AdmissionResult.Denied(500,
                Json.status(500, "InternalError", "Internal error occurred: " + message)), null, List.of());
    }

    /** Same wording and defaults as kube-apiserver's webhook errors, so kubectl prints what users know. */
    private static AdmissionResult.Denied denied(String name, JsonNode result) {
        int code = result.path("code").asInt(0);
        if (code < 400) {
            code = 400;
        }
        String deniedBy = "admission webhook \"" + name + "\" denied the request";
        String message = result.path("message").asString("");
        String reason = result.path("reason").asString("");
        String text = !message.isEmpty() ? deniedBy + ": " + message
                : !reason.isEmpty() ? deniedBy + ": " + reason : deniedBy + " without explanation";
        ObjectNode status = Json.status(code, reason, text);
        if (result.has("details")) {
            status.set("details", result.get("details"));
        }
        return new AdmissionResult.Denied(code, status);
    }

    private static JsonNode review(String uid, Request req) {
        ObjectNode review = Json.MAPPER.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode r = review.putObject("request");
        r.put("uid", uid);
        Discovery.ApiResource res = req.resource();
        r.putObject("kind").put("group", res.group()).put("version", res.version()).put("kind", res.kind());
        r.putObject("resource").put("group", res.group()).put("version", res.version()).put("resource", res.plural());
        r.set("requestKind", r.get("kind").deepCopy());
        r.set("requestResource", r.get("resource").deepCopy());
        if (req.subresource() != null) {
            r.put("subResource", req.subresource()).put("requestSubResource", req.subresource());
        }
        if (req.name() != null) {
            r.put("name", req.name());
        }
        if (req.namespace() != null) {
            r.put("namespace", req.namespace());
        }
        r.put("operation", req.operation());
        r.putObject("userInfo").put("username", "testbed-admin").putArray("groups")
                .add("system:masters").add("system:authenticated");
        r.set("object", req.object());
        r.set("oldObject", req.oldObject());
        r.put("dryRun", false);
        String optionsKind = switch (req.operation()) {
            case "CREATE" -> "CreateOptions";
            case "DELETE" -> "DeleteOptions";
            default -> "UpdateOptions";
        };
        r.putObject("options").put("kind", optionsKind).put("apiVersion", "meta.k8s.io/v1");
        return review;
    }
}
