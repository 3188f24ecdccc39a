package io.egressgateway.adapters.webhook;

import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest;
import io.egressgateway.application.port.in.AdmissionRequest.Operation;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import io.egressgateway.application.port.in.FieldViolation;
import io.egressgateway.application.port.in.PatchOperation;
import io.egressgateway.application.port.in.ResourceKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * AdmissionReview {@code admission.k8s.io/v1} in and out. Decoding never throws: a body that is not
 * an AdmissionReview becomes a {@link Decoded} with a reason, answered by a denial that echoes the
 * uid when one can be found (the API server matches answers by uid).
 */
final class AdmissionReviewCodec {
    static final String API_VERSION = "admission.k8s.io/v1";
    static final String GROUP = "egressgateway.spidernet.io";
    private static final Pattern UID = Pattern.compile("\"uid\"\\s*:\\s*\"([0-9A-Za-z-]{1,64})\"");

    private final JsonMapper mapper;

    AdmissionReviewCodec() {
        // deep nesting is how a hostile body exhausts a stack; Kubernetes objects are shallow
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();
        this.mapper = JsonMapper.builder(factory).build();
    }

    /** Either a request, or the reason it could not be read (with the uid, if one was found). */
    record Decoded(AdmissionRequest request, String uid, String error) {
    }

    Decoded decode(byte[] body, Phase phase) {
        if (body.length == 0) {
            return failed(body, "the body is empty");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException | IllegalArgumentException e) {
            return failed(body, "the body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return failed(body, "the body is not a JSON object");
        }
        JsonNode req = root.get("request");
        String uid = req != null && req.isObject() && req.path("uid").isString() ? req.path("uid").stringValue() : "";
        if (!API_VERSION.equals(text(root.get("apiVersion"))) || !"AdmissionReview".equals(text(root.get("kind")))) {
            return new Decoded(null, uid, "expected apiVersion " + API_VERSION + " kind AdmissionReview, got "
                    + text(root.get("apiVersion")) + " " + text(root.get("kind")));
        }
        if (req == null || !req.isObject()) {
            return new Decoded(null, uid, "the AdmissionReview has no request");
        }
        if (uid.isEmpty()) {
            return new Decoded(null, uid, "request.uid is missing");
        }
        Operation op = operation(text(req.get("operation")));
        if (op == null) {
            return new Decoded(null, uid, "request.operation \"" + text(req.get("operation")) + "\" is unknown");
        }
        JsonNode kindNode = req.get("kind");
        String group = kindNode == null ? "" : text(kindNode.get("group"));
        ResourceKind kind = GROUP.equals(group) ? ResourceKind.ofKind(text(kindNode.get("kind"))) : ResourceKind.OTHER;
        JsonNode object = req.get("object");
        JsonNode old = req.get("oldObject");
        JsonFields f = new JsonFields();
        var gateway = kind == ResourceKind.EGRESS_GATEWAY && isObject(object) ? ResourceJson.gateway(object, f) : null;
        var policy = kind == ResourceKind.EGRESS_GATEWAY_POLICY && isObject(object) ? ResourceJson.policy(object, f) : null;
        // the old object was admitted before; its problems are not the writer's to fix now
        JsonFields ignored = new JsonFields();
        var oldGateway = kind == ResourceKind.EGRESS_GATEWAY && isObject(old) ? ResourceJson.gateway(old, ignored) : null;
        var oldPolicy = kind == ResourceKind.EGRESS_GATEWAY_POLICY && isObject(old) ? ResourceJson.policy(old, ignored) : null;
        JsonNode meta = isObject(object) ? object.get("metadata") : null;
        List<String> finalizers = isObject(meta) ? f.strings(meta, "finalizers", "metadata.finalizers") : null;
        boolean deleting = isObject(meta) && !JsonFields.absent(meta.get("deletionTimestamp"));
        boolean specPresent = isObject(object) && isObject(object.get("spec"));
        String name = text(req.get("name"));
        if (name.isEmpty() && isObject(meta)) {
            name = text(meta.get("name"));
        }
        JsonNode user = req.get("userInfo");
        String userName = user == null ? "" : text(user.get("username"));
        return new Decoded(new AdmissionRequest(uid, phase, kind, op, name, userName, gateway, oldGateway, policy,
                oldPolicy, finalizers, specPresent, deleting, f.violations(), moveRequest(object), moveRequest(old)), uid, null);
    }

    /** The gateway's EIP move annotation, null when absent (or not a string). */
    private static String moveRequest(JsonNode object) {
        if (!isObject(object) || !isObject(object.get("metadata"))) {
            return null;
        }
        JsonNode ann = object.get("metadata").get("annotations");
        JsonNode v = isObject(ann) ? ann.get(io.egressgateway.domain.move.EipMoveRequest.ANNOTATION) : null;
        return v != null && v.isString() ? v.stringValue() : null;
    }

    private static Decoded failed(byte[] body, String error) {
        // best effort: a truncated or broken body may still carry the uid the API server waits for
        String head = new String(body, 0, Math.min(body.length, 65536), StandardCharsets.UTF_8);
        Matcher m = UID.matcher(head);
        return new Decoded(null, m.find() ? m.group(1) : "", error);
    }

    private static boolean isObject(JsonNode n) {
        return n != null && n.isObject();
    }

    private static String text(JsonNode n) {
        return n != null && n.isString() ? n.stringValue() : "";
    }

    private static Operation operation(String s) {
        try {
            return Operation.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }

    byte[] encode(String uid, AdmissionDecision d) {
        ObjectNode root = mapper.createObjectNode();
        root.put("apiVersion", API_VERSION);
        root.put("kind", "AdmissionReview");
        ObjectNode resp = root.putObject("response");
        resp.put("uid", uid == null ? "" : uid);
        resp.put("allowed", d.allowed());
        if (!d.allowed()) {
            ObjectNode status = resp.putObject("status");
            status.put("status", "Failure");
            status.put("code", d.code());
            status.put("reason", reason(d.code()));
            status.put("message", d.message());
            if (!d.violations().isEmpty()) {
                ArrayNode causes = status.putObject("details").putArray("causes");
                for (FieldViolation v : d.violations()) {
                    ObjectNode c = causes.addObject();
                    c.put("reason", "FieldValueInvalid");
                    c.put("field", v.field());
                    c.put("message", "Invalid value: \"" + v.value() + "\": " + v.message());
                }
            }
        } else if (!d.patch().isEmpty()) {
            resp.put("patchType", "JSONPatch");
            resp.put("patch", Base64.getEncoder().encodeToString(patchJson(d.patch())));
        }
        if (!d.warnings().isEmpty()) {
            ArrayNode w = resp.putArray("warnings");
            d.warnings().forEach(w::add);
        }
        return mapper.writeValueAsBytes(root);
    }

    byte[] patchJson(List<PatchOperation> ops) {
        ArrayNode arr = mapper.createArrayNode();
        for (PatchOperation op : ops) {
            ObjectNode o = arr.addObject();
            o.put("op", op.op().name().toLowerCase(Locale.ROOT));
            o.put("path", op.path());
            if (op.op() != PatchOperation.Op.REMOVE) {
                o.set("value", mapper.valueToTree(op.value()));
            }
        }
        return mapper.writeValueAsBytes(arr);
    }

    private static String reason(int code) {
        return switch (code) {
            case 400 -> "Invalid";
            case 403 -> "Forbidden";
            case 409 -> "Conflict";
            default -> "InternalError";
        };
    }

    JsonMapper mapper() {
        return mapper;
    }
}
