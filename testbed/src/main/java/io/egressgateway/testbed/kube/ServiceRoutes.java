package io.egressgateway.testbed.kube;

import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The one piece of kube-proxy the control plane needs: a Service's ClusterIP, served inside one namespace. */
final class ServiceRoutes {
    private ServiceRoutes() {
    }

    static void route(String netns, KubernetesClient client, String namespace, String name) {
        Service svc = client.services().inNamespace(namespace).withName(name).get();
        if (svc == null) {
            throw new IllegalStateException("Service " + namespace + "/" + name + " does not exist (deploy/webhooks.yaml"
                    + " creates it)");
        }
        String ip = svc.getSpec().getClusterIP();
        if (ip == null || ip.isBlank() || "None".equals(ip) || ip.contains(":")) {
            throw new IllegalStateException("Service " + namespace + "/" + name + " has no IPv4 ClusterIP (" + ip + ")");
        }
        ProcessRunner.run(List.of("ip", "-n", netns, "addr", "replace", ip + "/32", "dev", "lo"));
        for (ServicePort p : svc.getSpec().getPorts()) {
            int target = p.getTargetPort() != null && p.getTargetPort().getIntVal() != null
                    ? p.getTargetPort().getIntVal() : p.getPort();
            if (target == p.getPort()) {
                continue;
            }
            List<String> rule = List.of("OUTPUT", "-d", ip + "/32", "-p", "tcp", "--dport",
                    Integer.toString(p.getPort()), "-j", "DNAT", "--to-destination", ip + ":" + target);
            if (!ProcessRunner.tryRun(ProcessRunner.inNetns(netns, iptables("-C", rule)), Duration.ofSeconds(10)).ok()) {
                ProcessRunner.runIn(netns, iptables("-A", rule));
            }
        }
    }

    private static List<String> iptables(String op, List<String> rule) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-t", "nat", op));
        argv.addAll(rule);
        return argv;
    }
}
