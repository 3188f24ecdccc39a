package io.egressgateway.testbed.container;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The workloads of the rendered install manifest ({@code deploy/egressgateway.yaml}): the controller's
 * Deployment and the agent's DaemonSet, read as the API server would (fabric8's model), so the testbed
 * runs exactly the pod templates a user installs.
 */
public record InstallManifest(Path file, Workload controller, Workload agent) {

    /** One workload's pod template, with the namespace it is installed into. */
    public record Workload(String kind, String name, String namespace, PodTemplateSpec template) {
    }

    public static InstallManifest read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the install manifest " + file + ": " + e.getMessage(), e);
        }
        KubernetesSerialization json = new KubernetesSerialization();
        List<Deployment> deployments = new ArrayList<>();
        List<DaemonSet> daemonSets = new ArrayList<>();
        for (String doc : text.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            Object o = json.unmarshal(doc);
            if (o instanceof Deployment d) {
                deployments.add(d);
            } else if (o instanceof DaemonSet ds) {
                daemonSets.add(ds);
            }
        }
        if (deployments.size() != 1 || daemonSets.size() != 1) {
            throw new IllegalStateException(file + ": expected one Deployment (the controller) and one DaemonSet (the"
                    + " agent), found " + deployments.size() + " Deployment(s) and " + daemonSets.size() + " DaemonSet(s)");
        }
        Deployment d = deployments.get(0);
        DaemonSet ds = daemonSets.get(0);
        return new InstallManifest(file, workload(d, d.getSpec().getTemplate()), workload(ds, ds.getSpec().getTemplate()));
    }

    private static Workload workload(HasMetadata owner, PodTemplateSpec template) {
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null
                || template.getSpec().getContainers().size() != 1) {
            throw new IllegalStateException(owner.getKind() + " " + owner.getMetadata().getName()
                    + ": expected a pod template with exactly one container");
        }
        String ns = owner.getMetadata().getNamespace() == null ? "default" : owner.getMetadata().getNamespace();
        return new Workload(owner.getKind(), owner.getMetadata().getName(), ns, template);
    }
}
