package io.egressgateway.testbed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The shape of one testbed: how many nodes, which are gateways, which pods where, IPv4 only or dual
 * stack, which iptables backend. Built with {@link #builder()}; {@link Builder#build()} checks the
 * values and names the field that is wrong.
 *
 * @param nodes        node count, 1..50 (node i has 192.0.2.(10+i) and pod CIDR 10.244.i.0/24)
 * @param gatewayNodes indexes (1-based) of the nodes labelled {@code egress=true}
 * @param dualStack    IPv6 on the underlay and the pods as well
 * @param backend      iptables backend of the node namespaces
 * @param pods         pods to create, in order
 * @param apiPort      port on 127.0.0.1 of the relay to kube-apiserver (0: a free one)
 * @param crdDir       directory whose {@code *.yaml} CRDs are applied (null: none); when it is the project's
 *                     {@code deploy/crds}, the rest of {@code deploy/} (RBAC, policies) is applied too
 * @param echoPort     TCP and UDP port of the external host's echo server
 * @param exclusive    refuse to start while another exclusive testbed (the sandbox) runs
 * @param stateDir     where run ownership records, locks, kubeconfig and logs live
 */
public record TestbedOptions(int nodes, Set<Integer> gatewayNodes, boolean dualStack, IptablesBackend backend,
        List<PodSpec> pods, int apiPort, Path crdDir, int echoPort, boolean exclusive,
        Path stateDir) {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** One pod: its Kubernetes name and namespace, the node (1-based) it runs on, its labels. */
    public record PodSpec(String name, String namespace, int node, Map<String, String> labels) {
        public PodSpec {
            labels = Map.copyOf(labels);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same options with another iptables backend. */
    public TestbedOptions withBackend(IptablesBackend b) {
        return new TestbedOptions(nodes, gatewayNodes, dualStack, b, pods, apiPort, crdDir, echoPort,
                exclusive, stateDir);
    }

    /** Mutable builder; defaults: 3 nodes, gateways 2 and 3, IPv4 only, nft, no pods, free API port, echo 8080. */
    public static final class Builder {
        private int nodes = 3;
        private Set<Integer> gateways = new TreeSet<>(List.of(2, 3));
        private boolean dualStack;
        private IptablesBackend backend = IptablesBackend.NFT;
        private final List<PodSpec> pods = new ArrayList<>();
        private int apiPort;
        private Path crdDir = ProjectPaths.find("deploy/crds");
        private int echoPort = 8080;
        private boolean exclusive;
        private Path stateDir = Path.of("/run/egressgateway-testbed");

        public Builder nodes(int n) {
            this.nodes = n;
            return this;
        }

        public Builder gatewayNodes(Integer... indexes) {
            this.gateways = new TreeSet<>(List.of(indexes));
            return this;
        }

        public Builder dualStack(boolean on) {
            this.dualStack = on;
            return this;
        }

        public Builder backend(IptablesBackend b) {
            this.backend = b;
            return this;
        }

        /** Adds a pod in Kubernetes namespace {@code default}. */
        public Builder pod(String name, int node, Map<String, String> labels) {
            return pod(name, "default", node, labels);
        }

        public Builder pod(String name, String namespace, int node, Map<String, String> labels) {
            pods.add(new PodSpec(name, namespace, node, labels));
            return this;
        }

        public Builder apiPort(int port) {
            this.apiPort = port;
            return this;
        }

        public Builder crdDir(Path dir) {
            this.crdDir = dir;
            return this;
        }

        public Builder echoPort(int port) {
            this.echoPort = port;
            return this;
        }

        public Builder exclusive(boolean on) {
            this.exclusive = on;
            return this;
        }

        public Builder stateDir(Path dir) {
            this.stateDir = dir;
            return this;
        }

        public TestbedOptions build() {
            if (nodes < 1 || nodes > 50) {
                throw new IllegalArgumentException("nodes must be 1..50, got " + nodes);
            }
            for (int g : gateways) {
                if (g < 1 || g > nodes) {
                    throw new IllegalArgumentException("gatewayNodes: node " + g + " does not exist (nodes 1.." + nodes + ")");
                }
            }
            Set<String> seen = new HashSet<>();
            Map<Integer, Integer> perNode = new LinkedHashMap<>();
            for (PodSpec p : pods) {
                if (!DNS_LABEL.matcher(p.name()).matches()) {
                    throw new IllegalArgumentException("pod name \"" + p.name() + "\" is not a DNS-1123 label");
                }
                if (!DNS_LABEL.matcher(p.namespace()).matches()) {
                    throw new IllegalArgumentException("pod " + p.name() + ": namespace \"" + p.namespace()
                            + "\" is not a DNS-1123 label");
                }
                if (!seen.add(p.name())) {
                    throw new IllegalArgumentException("pod name \"" + p.name() + "\" is used twice (pod names are unique"
                            + " across namespaces in the testbed: each is a network namespace)");
                }
                if (p.node() < 1 || p.node() > nodes) {
                    throw new IllegalArgumentException("pod " + p.name() + ": node " + p.node() + " does not exist (nodes 1.."
                            + nodes + ")");
                }
                if (perNode.merge(p.node(), 1, Integer::sum) > 200) {
                    throw new IllegalArgumentException("node " + p.node() + ": more than 200 pods");
                }
            }
            if (apiPort < 0 || apiPort > 65535) {
                throw new IllegalArgumentException("apiPort must be 0..65535, got " + apiPort);
            }
            if (echoPort < 1 || echoPort > 65535) {
                throw new IllegalArgumentException("echoPort must be 1..65535, got " + echoPort);
            }
            return new TestbedOptions(nodes, Set.copyOf(gateways), dualStack, backend, List.copyOf(pods), apiPort, crdDir,
                    echoPort, exclusive, stateDir);
        }
    }
}
