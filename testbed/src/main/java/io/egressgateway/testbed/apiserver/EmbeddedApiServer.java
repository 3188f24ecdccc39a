package io.egressgateway.testbed.apiserver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes API server on {@code http://127.0.0.1:<port>} good enough for kubectl and the roles:
 * fabric8's mock server in CRUD mode behind {@link ApiServerDispatcher} (discovery, RFC 7386 merge
 * patch, admission webhooks). Plain HTTP without authentication: it listens on loopback only and
 * lives as long as one testbed run.
 *
 * <p>kubectl needs {@link #KUBECTL_FLAGS_FOR_APPLY} on {@code apply} and {@code create}: there is no
 * OpenAPI document to validate against.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    /** Flags kubectl needs for {@code apply}/{@code create}/{@code replace} against this server (no OpenAPI). */
    public static final List<String> KUBECTL_FLAGS_FOR_APPLY = List.of("--validate=false");

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedApiServer.class);
    private static final String CONTEXT = "egressgateway-testbed";
    /** Held so the level sticks: the mock logs every request through java.util.logging at INFO. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    private final KubernetesMockServer server;
    private final int port;
    private final KubernetesClient client;

    private EmbeddedApiServer(KubernetesMockServer server, int port) {
        this.server = server;
        this.port = port;
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default")
                .withRequestTimeout(10_000).withConnectionTimeout(5_000).build();
        this.client = new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Starts the server on 127.0.0.1 at {@code port} (0: a free port).
     *
     * @throws IllegalStateException naming the port when it is in use
     */
    public static EmbeddedApiServer start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("API server port must be 0..65535, got " + port);
        }
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int chosen = port == 0 ? freePort(loopback) : checkFree(loopback, port);
        int[] actual = {chosen};
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(new ArrayList<>());
        ApiServerDispatcher dispatcher = new ApiServerDispatcher(crud, () -> "127.0.0.1:" + actual[0]);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        try {
            server.init(loopback, chosen);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded API server on 127.0.0.1:" + chosen + ": " + e, e);
        }
        actual[0] = server.getPort();
        LOG.info("apiserver: listening url=http://127.0.0.1:{}", actual[0]);
        return new EmbeddedApiServer(server, actual[0]);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** A client bound to this server (namespace {@code default}); closed with the server. */
    public KubernetesClient client() {
        return client;
    }

    /** Writes a kubeconfig whose current context points at this server; returns {@code file}. */
    public Path writeKubeconfig(Path file) {
        String yaml = String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: " + CONTEXT,
                "  cluster:",
                "    server: " + url(),
                "contexts:",
                "- name: " + CONTEXT,
                "  context:",
                "    cluster: " + CONTEXT,
                "    user: testbed-admin",
                "    namespace: default",
                "current-context: " + CONTEXT,
                "users:",
                "- name: testbed-admin",
                "  user: {}",
                "");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kubeconfig " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * Installs every CustomResourceDefinition found in the {@code *.yaml} / {@code *.yml} files of
     * {@code dir} (other kinds in those files are ignored). Returns the CRD names installed.
     */
    public List<String> installCrds(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("CRD directory " + dir.toAbsolutePath() + " does not exist");
        }
        List<String> names = new ArrayList<>();
        for (Path file : yamlFiles(dir)) {
            for (HasMetadata item : load(file)) {
                if (item instanceof CustomResourceDefinition crd) {
                    client.resource(crd).createOr(NonDeletingOperation::update);
                    names.add(crd.getMetadata().getName());
                    LOG.info("apiserver: installed crd={} from={}", crd.getMetadata().getName(), file);
                }
            }
        }
        return names;
    }

    /**
     * Stores the Validating/MutatingWebhookConfigurations of {@code yaml}, so that writes are sent
     * to them. When {@code endpoint} is given (e.g. {@code https://127.0.0.1:9443}), every webhook's
     * {@code clientConfig} is pointed at it (service path kept), and {@code caPem}, when given,
     * becomes its {@code caBundle}: the testbed's webhook server is a process on loopback, not a Service.
     */
    public List<String> installWebhooks(Path yaml, URI endpoint, String caPem) {
        List<String> names = new ArrayList<>();
        for (HasMetadata item : load(yaml)) {
            if (item instanceof ValidatingWebhookConfiguration v) {
                v.getWebhooks().forEach(w -> redirect(w.getName(), w.getClientConfig(), endpoint, caPem));
                client.resource(v).createOr(NonDeletingOperation::update);
                names.add(v.getMetadata().getName());
            } else if (item instanceof MutatingWebhookConfiguration m) {
                m.getWebhooks().forEach(w -> redirect(w.getName(), w.getClientConfig(), endpoint, caPem));
                client.resource(m).createOr(NonDeletingOperation::update);
                names.add(m.getMetadata().getName());
            }
        }
        LOG.info("apiserver: installed webhook configurations={} endpoint={}", names, endpoint);
        return names;
    }

    private static void redirect(String hook, WebhookClientConfig cc, URI endpoint, String caPem) {
        if (cc == null) {
            throw new IllegalArgumentException("webhook " + hook + " has no clientConfig");
        }
        if (endpoint != null) {
            String path = cc.getService() != null ? cc.getService().getPath()
                    : cc.getUrl() != null ? URI.create(cc.getUrl()).getRawPath() : null;
            String base = endpoint.toString().replaceAll("/+$", "");
            cc.setUrl(base + (path == null ? "" : path.startsWith("/") ? path : "/" + path));
            cc.setService(null);
        }
        if (caPem != null) {
            cc.setCaBundle(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private List<HasMetadata> load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot parse " + file + " as Kubernetes YAML: " + e.getMessage(), e);
        }
    }

    private static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort(InetAddress loopback) {
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    private static int checkFree(InetAddress loopback, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback, port));
            return port;
        } catch (BindException e) {
            throw new IllegalStateException("port 127.0.0.1:" + port + " is in use (another sandbox or program"
                    + " listens there); choose another port or 0 for a free one", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check port 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
        LOG.info("apiserver: stopped url={}", url());
    }
}
