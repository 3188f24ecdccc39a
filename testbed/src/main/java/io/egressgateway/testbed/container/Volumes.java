package io.egressgateway.testbed.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's volumes as podman mounts, as kubelet prepares them on the node: hostPath (created for the
 * {@code ...OrCreate} types, checked for the others), emptyDir (a directory of the pod on the node, or
 * a tmpfs for {@code medium: Memory}) and the service-account token kubelet mounts at
 * {@code /var/run/secrets/kubernetes.io/serviceaccount} unless the pod opts out. Other volume types
 * are refused by name.
 */
public final class Volumes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Volumes.class);
    public static final String SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

    List<String> mounts(PodSpec pod, Container c, PodContext ctx) {
        List<String> a = new ArrayList<>();
        String where = "container " + c.getName();
        if (c.getVolumeMounts() != null) {
            for (VolumeMount m : c.getVolumeMounts()) {
                Volume v = volume(pod, m.getName(), where);
                boolean ro = Boolean.TRUE.equals(m.getReadOnly());
                if (m.getSubPathExpr() != null) {
                    throw new IllegalArgumentException(where + " volumeMount " + m.getName() + ": subPathExpr is not supported");
                }
                if (v.getEmptyDir() != null && "Memory".equals(v.getEmptyDir().getMedium())) {
                    String size = v.getEmptyDir().getSizeLimit() == null ? ""
                            : ",tmpfs-size=" + io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                                    v.getEmptyDir().getSizeLimit()).toBigInteger();
                    a.addAll(List.of("--mount", "type=tmpfs,destination=" + m.getMountPath() + size + (ro ? ",ro=true" : "")));
                    continue;
                }
                Path source = source(v, ctx, where);
                if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
                    source = source.resolve(m.getSubPath());
                }
                a.addAll(List.of("--volume", source + ":" + m.getMountPath() + (ro ? ":ro" : "")));
            }
        }
        if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken()) && ctx.serviceAccountDir() != null) {
            a.addAll(List.of("--volume", ctx.serviceAccountDir() + ":" + SERVICE_ACCOUNT_MOUNT + ":ro"));
        }
        return a;
    }

    private static Volume volume(PodSpec pod, String name, String where) {
        if (pod.getVolumes() != null) {
            for (Volume v : pod.getVolumes()) {
                if (v.getName().equals(name)) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException(where + ": volumeMount \"" + name + "\" names no volume of the pod");
    }

    private static Path source(Volume v, PodContext ctx, String where) {
        if (v.getHostPath() != null) {
            return hostPath(v.getHostPath(), ctx, where + " volume " + v.getName());
        }
        if (v.getEmptyDir() != null) {
            Path dir = ctx.volumeDir().resolve(v.getName());
            try {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create emptyDir " + dir + ": " + e.getMessage(), e);
            }
            return dir;
        }
        throw new IllegalArgumentException(where + " volume " + v.getName() + ": only hostPath and emptyDir are supported by"
                + " the testbed, got " + v);
    }

    private static Path hostPath(HostPathVolumeSource h, PodContext ctx, String where) {
        Path p = Path.of(h.getPath());
        String type = h.getType() == null ? "" : h.getType();
        try {
            switch (type) {
                case "DirectoryOrCreate" -> Files.createDirectories(p);
                case "FileOrCreate" -> {
                    if (!Files.exists(p)) {
                        Files.createDirectories(p.getParent());
                        Files.createFile(p);
                    }
                }
                case "" -> {
                    if (!Files.exists(p)) {
                        // The runtime creates a missing unchecked hostPath as an empty directory. The testbed's
                        // nodes share this machine's filesystem, which it leaves alone: an empty directory of
                        // the pod stands in (e.g. /lib/modules on a machine without modules).
                        Path stand = ctx.volumeDir().resolve("hostpath" + p.toString().replace('/', '_'));
                        Files.createDirectories(stand);
                        LOG.info("testbed: {}: hostPath {} does not exist on this machine; mounting an empty directory",
                                where, p);
                        return stand;
                    }
                }
                case "Directory" -> require(Files.isDirectory(p), where, p, type);
                case "File" -> require(Files.isRegularFile(p), where, p, type);
                case "Socket", "CharDevice", "BlockDevice" -> require(Files.exists(p), where, p, type);
                default -> throw new IllegalArgumentException(where + ": hostPath.type \"" + type + "\" is not a hostPath type");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": cannot create hostPath " + p + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static void require(boolean ok, String where, Path p, String type) {
        if (!ok) {
            throw new IllegalArgumentException(where + ": hostPath " + p + " is not a " + type + " on the node");
        }
    }
}
