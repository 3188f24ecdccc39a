package io.egressgateway.testbed.container;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container of a pod spec as {@code podman run} arguments, the way a CRI runtime under kubelet
 * would run it: the runtime's default capabilities (containerd's set) adjusted by the security
 * context, seccomp RuntimeDefault (podman's default profile) or unconfined when unset (kubelet's
 * default), {@code no-new-privileges} when privilege escalation is off, a read-only root without the
 * tmpfs podman would add, the user, the memory limit without swap, the environment with the downward
 * API's fields resolved and {@code $(VAR)} expanded in command and args. Anything the mapping does
 * not know is refused with the field and value, never skipped.
 */
public final class ContainerArgs {
    /** What containerd (and CRI-O) grant a container that asks for nothing: the CRI default set. */
    static final List<String> CRI_DEFAULT_CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD",
            "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
            "AUDIT_WRITE");
    private static final Pattern VAR_REF = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    private ContainerArgs() {
    }

    /**
     * The arguments after {@code podman run} (options, image, args) for {@code c} of {@code pod}, named
     * {@code name}; {@code imageUser} is the image's configured user ("" = root), for runAsNonRoot.
     */
    public static List<String> of(String name, PodSpec pod, Container c, String image, String imageUser,
            PodContext ctx, Volumes volumes) {
        String where = "container " + c.getName();
        List<String> a = new ArrayList<>(List.of("--name", name, "--label", ctx.runLabel(), "--pull=never",
                "--network", "ns:" + ctx.netnsPath(),
                "--hostname", Boolean.TRUE.equals(pod.getHostNetwork()) ? ctx.nodeName() : ctx.podName()));
        security(a, pod.getSecurityContext(), c.getSecurityContext(), imageUser, where);
        Map<String, String> env = env(c, ctx, where);
        env.forEach((k, v) -> a.addAll(List.of("--env", k + "=" + v)));
        a.addAll(volumes.mounts(pod, c, ctx));
        resources(a, c, where);
        if (c.getWorkingDir() != null) {
            a.addAll(List.of("--workdir", c.getWorkingDir()));
        }
        long grace = pod.getTerminationGracePeriodSeconds() == null ? 30 : pod.getTerminationGracePeriodSeconds();
        a.addAll(List.of("--stop-timeout", Long.toString(grace)));
        if (c.getCommand() != null && !c.getCommand().isEmpty()) {
            a.add("--entrypoint=" + jsonArray(expand(c.getCommand(), env)));
        }
        a.add(image);
        if (c.getArgs() != null) {
            a.addAll(expand(c.getArgs(), env));
        }
        return a;
    }

    private static void security(List<String> a, PodSecurityContext pod, SecurityContext sc, String imageUser,
            String where) {
        PodSecurityContext p = pod == null ? new PodSecurityContext() : pod;
        SecurityContext s = sc == null ? new SecurityContext() : sc;
        if (s.getWindowsOptions() != null || s.getAppArmorProfile() != null || s.getSeLinuxOptions() != null
                || s.getProcMount() != null) {
            throw new IllegalArgumentException(where + ": securityContext has a field the testbed cannot map"
                    + " (windowsOptions, appArmorProfile, seLinuxOptions, procMount): " + s);
        }
        if (Boolean.TRUE.equals(s.getPrivileged())) {
            a.add("--privileged");
        } else {
            a.add("--cap-drop=all");
            Set<String> caps = capabilities(s.getCapabilities(), where);
            if (!caps.isEmpty()) {
                a.add("--cap-add=" + String.join(",", caps));
            }
        }
        SeccompProfile seccomp = s.getSeccompProfile() != null ? s.getSeccompProfile() : p.getSeccompProfile();
        String type = seccomp == null ? "Unconfined" : seccomp.getType();
        switch (type) {
            case "RuntimeDefault" -> { } // podman's default profile is the runtime default
            case "Unconfined" -> a.add("--security-opt=seccomp=unconfined");
            default -> throw new IllegalArgumentException(where + ": securityContext.seccompProfile.type \"" + type
                    + "\" is not supported by the testbed (RuntimeDefault, Unconfined)");
        }
        if (Boolean.FALSE.equals(s.getAllowPrivilegeEscalation())) {
            a.add("--security-opt=no-new-privileges");
        }
        if (Boolean.TRUE.equals(s.getReadOnlyRootFilesystem())) {
            a.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
        Long uid = s.getRunAsUser() != null ? s.getRunAsUser() : p.getRunAsUser();
        Long gid = s.getRunAsGroup() != null ? s.getRunAsGroup() : p.getRunAsGroup();
        Boolean nonRoot = s.getRunAsNonRoot() != null ? s.getRunAsNonRoot() : p.getRunAsNonRoot();
        if (Boolean.TRUE.equals(nonRoot)) {
            boolean root = uid != null ? uid == 0 : imageUser.isEmpty() || imageUser.equals("0") || imageUser.startsWith("0:")
                    || imageUser.equals("root") || imageUser.startsWith("root:");
            if (root) {
                throw new IllegalArgumentException(where + ": runAsNonRoot is set and the container would run as root"
                        + " (runAsUser " + uid + ", image user \"" + imageUser + "\"); kubelet refuses to start it");
            }
        }
        if (uid != null) {
            a.add("--user=" + uid + (gid != null ? ":" + gid : ""));
        } else if (gid != null) {
            throw new IllegalArgumentException(where + ": runAsGroup " + gid + " without runAsUser is not supported");
        }
        if (p.getFsGroup() != null) {
            a.add("--group-add=" + p.getFsGroup());
        }
        if (p.getSupplementalGroups() != null) {
            p.getSupplementalGroups().forEach(g -> a.add("--group-add=" + g));
        }
        if (p.getSysctls() != null && !p.getSysctls().isEmpty()) {
            p.getSysctls().forEach(x -> a.add("--sysctl=" + x.getName() + "=" + x.getValue()));
        }
    }

    static Set<String> capabilities(Capabilities caps, String where) {
        Set<String> set = new LinkedHashSet<>(CRI_DEFAULT_CAPABILITIES);
        if (caps != null && caps.getDrop() != null) {
            for (String d : caps.getDrop()) {
                String n = capName(d, where);
                if (n.equals("ALL")) {
                    set.clear();
                } else {
                    set.remove(n);
                }
            }
        }
        if (caps != null && caps.getAdd() != null) {
            for (String d : caps.getAdd()) {
                String n = capName(d, where);
                if (n.equals("ALL")) {
                    throw new IllegalArgumentException(where + ": capabilities.add ALL: use privileged instead");
                }
                set.add(n);
            }
        }
        return set;
    }

    private static String capName(String cap, String where) {
        String n = cap.toUpperCase(Locale.ROOT);
        n = n.startsWith("CAP_") ? n.substring(4) : n;
        if (!n.matches("[A-Z_]+")) {
            throw new IllegalArgumentException(where + ": capability \"" + cap + "\" is not a capability name");
        }
        return n;
    }

    static Map<String, String> env(Container c, PodContext ctx, String where) {
        Map<String, String> env = new LinkedHashMap<>(ctx.clusterEnv());
        if (c.getEnvFrom() != null && !c.getEnvFrom().isEmpty()) {
            throw new IllegalArgumentException(where + ": envFrom is not supported by the testbed");
        }
        if (c.getEnv() != null) {
            for (EnvVar e : c.getEnv()) {
                String v;
                if (e.getValueFrom() == null) {
                    v = expand(List.of(e.getValue() == null ? "" : e.getValue()), env).get(0);
                } else if (e.getValueFrom().getFieldRef() != null) {
                    v = field(e.getValueFrom().getFieldRef().getFieldPath(), ctx, where + " env " + e.getName());
                } else if (e.getValueFrom().getResourceFieldRef() != null) {
                    v = resourceField(c, e.getValueFrom().getResourceFieldRef().getResource(),
                            e.getValueFrom().getResourceFieldRef().getDivisor(), where + " env " + e.getName());
                } else {
                    throw new IllegalArgumentException(where + " env " + e.getName() + ": valueFrom " + e.getValueFrom()
                            + " is not supported by the testbed (value, fieldRef, resourceFieldRef)");
                }
                env.put(e.getName(), v);
            }
        }
        env.putAll(ctx.overrides());
        return env;
    }

    private static String field(String path, PodContext ctx, String where) {
        return switch (path) {
            case "metadata.name" -> ctx.podName();
            case "metadata.namespace" -> ctx.namespace();
            case "spec.nodeName" -> ctx.nodeName();
            case "status.hostIP" -> ctx.hostIp();
            case "status.podIP" -> ctx.podIp();
            default -> throw new IllegalArgumentException(where + ": fieldRef.fieldPath \"" + path + "\" is not supported"
                    + " by the testbed (metadata.name, metadata.namespace, spec.nodeName, status.hostIP, status.podIP)");
        };
    }

    private static String resourceField(Container c, String resource, Quantity divisor, String where) {
        String[] parts = resource.split("\\.", 2);
        Map<String, Quantity> m = c.getResources() == null ? null
                : parts[0].equals("limits") ? c.getResources().getLimits() : c.getResources().getRequests();
        Quantity q = m == null || parts.length < 2 ? null : m.get(parts[1]);
        if (q == null) {
            throw new IllegalArgumentException(where + ": resourceFieldRef " + resource + " has no value in the container");
        }
        BigDecimal d = divisor == null ? BigDecimal.ONE : Quantity.getAmountInBytes(divisor);
        return Quantity.getAmountInBytes(q).divide(d, 0, java.math.RoundingMode.CEILING).toPlainString();
    }

    private static void resources(List<String> a, Container c, String where) {
        if (c.getResources() == null || c.getResources().getLimits() == null) {
            return;
        }
        for (Map.Entry<String, Quantity> e : c.getResources().getLimits().entrySet()) {
            switch (e.getKey()) {
                case "memory" -> {
                    String bytes = Quantity.getAmountInBytes(e.getValue()).toBigInteger().toString();
                    a.addAll(List.of("--memory=" + bytes, "--memory-swap=" + bytes));
                }
                case "cpu" -> a.add("--cpus=" + Quantity.getAmountInBytes(e.getValue()).stripTrailingZeros().toPlainString());
                case "ephemeral-storage" -> { } // no quota on the testbed's storage
                default -> throw new IllegalArgumentException(where + ": resources.limits." + e.getKey()
                        + " is not supported by the testbed");
            }
        }
    }

    /** Kubernetes' {@code $(VAR)} expansion: defined variables replaced, {@code $$} an escaped {@code $}. */
    static List<String> expand(List<String> in, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String s : in) {
            Matcher m = VAR_REF.matcher(s);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String rep = m.group().equals("$$") ? "$" : env.getOrDefault(m.group(1), m.group());
                m.appendReplacement(b, Matcher.quoteReplacement(rep));
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    private static String jsonArray(List<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            b.append(i == 0 ? "" : ",").append('"')
                    .append(items.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append(']').toString();
    }
}
