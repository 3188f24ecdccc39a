package io.egressgateway.testbed.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The thin layer in front of fabric8's CRUD dispatcher that makes it pass for a real API server
 * towards kubectl and the roles. It adds exactly four things and passes everything else through:
 * <ol>
 *   <li>discovery ({@link Discovery}); {@code /openapi/*} answers 404 so kubectl validates nothing client-side;</li>
 *   <li>PATCH done here: the current object is read, the patch applied (merge patch per RFC 7386,
 *       JSON patch per RFC 6902, strategic merge patch approximated by RFC 7386), and the result stored
 *       with a PUT, so lists are replaced and admission sees the final object;</li>
 *   <li>admission webhooks ({@link Admission}) on create, update, patch and delete;</li>
 *   <li>server-side printing ({@link TableConverter}): the columns of {@code kubectl get}.</li>
 * </ol>
 * Writes are serialised by one lock so that a patch's read-modify-write is atomic.
 */
final class ApiServerDispatcher extends Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServerDispatcher.class);
    private static final String JSON = "application/json";

    private final KubernetesCrudDispatcher crud;
    private final Discovery discovery;
    private final Admission admission;
    private final Supplier<String> serverAddress;
    private final ReentrantLock writes = new ReentrantLock();

    ApiServerDispatcher(KubernetesCrudDispatcher crud, Supplier<String> serverAddress) {
        this.crud = crud;
        this.serverAddress = serverAddress;
        this.discovery = new Discovery(() -> list("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"));
        this.admission = new Admission(
                () -> list("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations"),
                () -> list("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations"),
                new WebhookTransport());
    }

    Discovery discovery() {
        return discovery;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            MockResponse response = route(request);
            // The mock leaves Content-Type out; kubectl then decodes by what it asked for (protobuf for built-ins).
            if (response.header("Content-Type") == null && response.getWebSocketListener() == null) {
                response.setHeader("Content-Type", JSON);
            }
            return response;
        } catch (RuntimeException e) {
            LOG.warn("apiserver: {} {} failed", request.getMethod(), request.getPath(), e);
            return respond(500, Json.status(500, "InternalError", "Internal error occurred: " + e));
        }
    }

    private MockResponse route(RecordedRequest request) {
        String path = request.getPath();
        HttpMethod method = request.method();
        if (method == HttpMethod.GET) {
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            Optional<JsonNode> doc = discovery.document(bare, serverAddress.get());
            if (doc.isPresent()) {
                return respond(200, doc.get());
            }
            if (bare.startsWith("/openapi")) {
                return respond(404, Json.status(404, "NotFound", "the testbed API server serves no OpenAPI document"));
            }
        }
        Optional<ResourcePath> rp = ResourcePath.parse(path);
        if (rp.isPresent() && method == HttpMethod.GET && TableConverter.wanted(request.getHeader("Accept"))
                && !rp.get().hasQueryFlag("watch", "true") && !rp.get().hasQueryFlag("watch", "1")) {
            return table(request, rp.get());
        }
        // Collection deletes and POSTs to subresources (eviction, token) go to the mock as they are.
        if (rp.isEmpty() || method == HttpMethod.GET || (rp.get().name() == null) != (method == HttpMethod.POST)) {
            return crud.dispatch(request);
        }
        ResourcePath p = rp.get();
        Optional<Discovery.ApiResource> resource = discovery.find(p.group(), p.version(), p.resource());
        if (resource.isEmpty()) {
            return crud.dispatch(request);
        }
        writes.lock();
        try {
            return switch (method) {
                case POST -> create(request, p, resource.get());
                case PUT -> update(request, p, resource.get());
                case PATCH -> patch(request, p, resource.get());
                case DELETE -> delete(request, p, resource.get());
                default -> crud.dispatch(request);
            };
        } finally {
            writes.unlock();
        }
    }

    /** A GET that kubectl wants as a Table (server-side printing), built from the plain answer of the mock. */
    private MockResponse table(RecordedRequest request, ResourcePath p) {
        MockResponse plain = crud.dispatch(request);
        Optional<Discovery.ApiResource> res = discovery.find(p.group(), p.version(), p.resource());
        if (plain.code() != 200 || plain.getBody() == null || res.isEmpty() || p.subresource() != null) {
            return plain;
        }
        JsonNode crd = list("/apis/apiextensions.k8s.io/v1/customresourcedefinitions").stream()
                .filter(c -> c.path("spec").path("group").asString("").equals(p.group())
                        && c.path("spec").path("names").path("plural").asString("").equals(p.resource()))
                .findFirst().orElse(null);
        String include = "Metadata";
        for (String kv : p.query().split("&")) {
            if (kv.startsWith("includeObject=")) {
                include = kv.substring("includeObject=".length());
            }
        }
        JsonNode body = Json.parse(new String(plain.getBody().getBytes(), StandardCharsets.UTF_8));
        return respond(200, TableConverter.toTable(body, TableConverter.columnsFor(res.get(), crd), include));
    }

    private MockResponse create(RecordedRequest request, ResourcePath p, Discovery.ApiResource res) {
        JsonNode object = Json.parse(request.getUtf8Body());
        String name = object.path("metadata").path("name").asString(null);
        return admitted(new Admission.Request("CREATE", res, null, p.namespace(), name, object, null),
                object2 -> forward(HttpMethod.POST, request.getPath(), object2, request));
    }

    private MockResponse update(RecordedRequest request, ResourcePath p, Discovery.ApiResource res) {
        JsonNode current = get(p.objectPath());
        if (current == null) {
            return notFound(p);
        }
        JsonNode object = Json.parse(request.getUtf8Body());
        return admitted(new Admission.Request("UPDATE", res, p.subresource(), p.namespace(), p.name(), object, current),
                object2 -> forward(HttpMethod.PUT, request.getPath(), object2, request));
    }

    private MockResponse patch(RecordedRequest request, ResourcePath p, Discovery.ApiResource res) {
        String type = Optional.ofNullable(request.getHeader("Content-Type")).orElse("").split(";")[0].trim();
        JsonNode current = get(p.objectPath());
        if (current == null) {
            return notFound(p);
        }
        JsonNode body = Json.parse(request.getUtf8Body());
        JsonNode patched = switch (type) {
            case "application/merge-patch+json", "application/strategic-merge-patch+json" ->
                    JsonMergePatch.apply(current, body);
            case "application/json-patch+json" -> JsonPatch.apply(body, current);
            default -> null;
        };
        if (patched == null) {
            return respond(415, Json.status(415, "UnsupportedMediaType", "the testbed API server does not support "
                    + "patch type \"" + type + "\" (server-side apply is not implemented: use client-side kubectl apply, "
                    + "merge, JSON or strategic merge patches)"));
        }
        return admitted(new Admission.Request("UPDATE", res, p.subresource(), p.namespace(), p.name(), patched, current),
                object2 -> forward(HttpMethod.PUT, p.objectPath() + (p.subresource() == null ? "" : "/" + p.subresource()),
                        object2, request));
    }

    private MockResponse delete(RecordedRequest request, ResourcePath p, Discovery.ApiResource res) {
        JsonNode current = get(p.objectPath());
        if (current == null) {
            return notFound(p);
        }
        return admitted(new Admission.Request("DELETE", res, p.subresource(), p.namespace(), p.name(), null, current),
                ignored -> crud.dispatch(request));
    }

    private MockResponse admitted(Admission.Request req, java.util.function.Function<JsonNode, MockResponse> write) {
        AdmissionResult result = admission.admit(req);
        if (result instanceof AdmissionResult.Denied denied) {
            LOG.info("apiserver: {} {} {} refused: {}", req.operation(), req.resource().kind(), req.name(),
                    denied.status().path("message").asString());
            return respond(denied.code(), denied.status());
        }
        AdmissionResult.Allowed allowed = (AdmissionResult.Allowed) result;
        MockResponse response = write.apply(allowed.object());
        // As kube-apiserver does: RFC 7234 warning headers, which kubectl prints as "Warning: ...".
        for (String w : allowed.warnings()) {
            response.addHeader("Warning", "299 - \"" + w.replace("\"", "'") + "\"");
        }
        return response;
    }

    private MockResponse forward(HttpMethod method, String path, JsonNode body, RecordedRequest original) {
        Headers headers = original.getHeaders().newBuilder().set("Content-Type", JSON).build();
        MockResponse r = crud.dispatch(new RecordedRequest(original.getHttpVersion(), method, path, headers,
                new Buffer(Json.write(body).getBytes(StandardCharsets.UTF_8))));
        if (r.code() == 200 && (r.getBody() == null || r.getBody().size() == 0)) {
            // The mock answers an update that removed the last finalizer (and so the object) with no body;
            // kube-apiserver returns the object's last state, which kubectl decodes.
            r.setBody(Json.write(body));
        }
        return r;
    }

    private JsonNode get(String path) {
        MockResponse r = crud.handleGet(path);
        if (r.code() != 200 || r.getBody() == null) {
            return null;
        }
        return Json.parse(new String(r.getBody().getBytes(), StandardCharsets.UTF_8));
    }

    private List<JsonNode> list(String path) {
        JsonNode l = get(path);
        List<JsonNode> items = new ArrayList<>();
        if (l != null) {
            l.path("items").forEach(items::add);
        }
        return items;
    }

    private static MockResponse notFound(ResourcePath p) {
        return respond(404, Json.status(404, "NotFound",
                p.resource() + (p.group().isEmpty() ? "" : "." + p.group()) + " \"" + p.name() + "\" not found"));
    }

    private static MockResponse respond(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", JSON).setBody(Json.write(body));
    }
}
