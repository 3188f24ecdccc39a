package io.egressgateway.testbed.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Kubeconfig files of the testbed's identities: one cluster (CA embedded), one bearer-token user. */
public final class Kubeconfigs {
    private static final String CONTEXT = "egressgateway-testbed";

    private Kubeconfigs() {
    }

    /** Writes a kubeconfig for {@code user} with {@code token} against {@code server}; returns {@code file}. */
    public static Path write(Path file, String server, String caPem, String token, String user, String namespace) {
        String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
        String yaml = String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: " + CONTEXT,
                "  cluster:",
                "    server: " + server,
                "    certificate-authority-data: " + ca,
                "contexts:",
                "- name: " + CONTEXT,
                "  context:",
                "    cluster: " + CONTEXT,
                "    user: " + user,
                "    namespace: " + namespace,
                "current-context: " + CONTEXT,
                "users:",
                "- name: " + user,
                "  user:",
                "    token: " + token,
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

    /** A fabric8 client of the kubeconfig in {@code file}. */
    public static KubernetesClient client(Path file) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(file));
            config.setRequestTimeout(15_000);
            config.setConnectionTimeout(5_000);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
        }
    }
}
