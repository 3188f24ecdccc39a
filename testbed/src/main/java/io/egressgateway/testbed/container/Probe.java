package io.egressgateway.testbed.container;

import io.egressgateway.testbed.netns.NetnsThread;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One probe of a container as kubelet runs it: httpGet (2xx/3xx is success), tcpSocket, or exec,
 * against the pod's IP from inside the pod's network namespace, with the probe's timeout; its timing
 * and thresholds with kubelet's defaults (period 10 s, timeout 1 s, success 1, failure 3).
 */
record Probe(String kind, io.fabric8.kubernetes.api.model.Probe spec, Container container, String netns, String podIp,
        String containerName) {

    int periodSeconds() {
        return spec.getPeriodSeconds() == null ? 10 : spec.getPeriodSeconds();
    }

    int initialDelaySeconds() {
        return spec.getInitialDelaySeconds() == null ? 0 : spec.getInitialDelaySeconds();
    }

    int failureThreshold() {
        return spec.getFailureThreshold() == null ? 3 : spec.getFailureThreshold();
    }

    int successThreshold() {
        return spec.getSuccessThreshold() == null ? 1 : spec.getSuccessThreshold();
    }

    Duration timeout() {
        return Duration.ofSeconds(spec.getTimeoutSeconds() == null ? 1 : spec.getTimeoutSeconds());
    }

    /** Checks that the probe is one the testbed can run; throws naming the field otherwise. */
    Probe validate() {
        if (spec.getHttpGet() == null && spec.getTcpSocket() == null && spec.getExec() == null) {
            throw new IllegalArgumentException("container " + container.getName() + " " + kind
                    + ": only httpGet, tcpSocket and exec probes are supported by the testbed, got " + spec);
        }
        if (spec.getHttpGet() != null) {
            port(spec.getHttpGet().getPort());
        }
        if (spec.getTcpSocket() != null) {
            port(spec.getTcpSocket().getPort());
        }
        return this;
    }

    /** Runs the probe once; a failure's reason, or null on success. */
    String run() {
        try {
            if (spec.getExec() != null) {
                List<String> argv = Podman.cli("exec", containerName);
                argv.addAll(spec.getExec().getCommand());
                ProcessRunner.Result r = ProcessRunner.tryRun(argv, timeout().plusSeconds(5));
                return r.ok() ? null : "exec exited " + r.exitCode() + ": " + r.stderr().strip();
            }
            if (spec.getTcpSocket() != null) {
                String host = podIp;
                int port = port(spec.getTcpSocket().getPort());
                return NetnsThread.call(netns, timeout().plusSeconds(5), () -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(host, port), (int) timeout().toMillis());
                        return null;
                    }
                });
            }
            var get = spec.getHttpGet();
            String host = get.getHost() != null && !get.getHost().isEmpty() ? get.getHost() : podIp;
            String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase();
            URI uri = URI.create(scheme + "://" + host + ":" + port(get.getPort()) + (get.getPath() == null ? "/" : get.getPath()));
            return NetnsThread.call(netns, timeout().plusSeconds(5), () -> {
                HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(java.net.Proxy.NO_PROXY);
                c.setConnectTimeout((int) timeout().toMillis());
                c.setReadTimeout((int) timeout().toMillis());
                c.setInstanceFollowRedirects(false);
                if (get.getHttpHeaders() != null) {
                    get.getHttpHeaders().forEach(h -> c.setRequestProperty(h.getName(), h.getValue()));
                }
                try {
                    int code = c.getResponseCode();
                    return code >= 200 && code < 400 ? null : "GET " + uri + " answered " + code;
                } finally {
                    c.disconnect();
                }
            });
        } catch (Exception e) {
            return e.toString();
        }
    }

    private int port(IntOrString p) {
        if (p == null) {
            throw new IllegalArgumentException("container " + container.getName() + " " + kind + ": no port");
        }
        if (p.getIntVal() != null) {
            return p.getIntVal();
        }
        List<ContainerPort> ports = container.getPorts() == null ? new ArrayList<>() : container.getPorts();
        return ports.stream().filter(cp -> p.getStrVal().equals(cp.getName())).findFirst()
                .map(ContainerPort::getContainerPort)
                .orElseThrow(() -> new IllegalArgumentException("container " + container.getName() + " " + kind
                        + ": port \"" + p.getStrVal() + "\" names no port of the container"));
    }
}
