package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.IptablesBackend;
import io.egressgateway.testbed.ManagedProcess;
import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.Testbed;
import io.egressgateway.testbed.TestbedOptions;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.cluster.Kubelet;
import io.egressgateway.testbed.cluster.Resources;
import io.egressgateway.testbed.cluster.Waits;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The memory of the agents and the controller at scale (shared/style.md, "Footprint of a JVM agent":
 * at most 128 MiB per agent at 1,000 policies and 10,000 endpoints). Its own testbed, because the
 * scale would slow down every other scenario: three nodes (gateways node2, node3), the product
 * started as production starts it ({@link EgressCluster.Launch#production()}), the example gateway,
 * {@code policies} policies each with its own destination and selector, and {@code endpoints} Pod
 * objects (API objects only, no namespaces) spread over the nodes so that each policy selects
 * endpoints/policies pods. The agents start once everything is written (in a full cluster, as a
 * DaemonSet's pods do; writing while they reacted to every Pod overloaded the embedded API server).
 * When every endpoint is in a slice, every policy is Programmed and the nodes' source ipsets have
 * stopped changing, each process gets a full GC and is read.
 */
final class FootprintBench {
    /** Concurrent writers: the embedded API server answers them one at a time, but the round trips overlap. */
    static final int WRITERS = 4;
    static final long GOAL_MIB = 128;
    static final long CONTROLLER_GOAL_MIB = 256;
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final String LABEL = "footprint";

    record NodeState(String node, long sourceSetEntries, double lastPassMs, long passes, long steadyPasses,
            double steadyP50Ms, double steadyP99Ms) {
    }

    record Result(int policies, int endpoints, Duration policiesCreated, Duration podsCreated, Duration programmed,
            List<JvmMemory.Sample> memory, List<NodeState> nodes, String histogramOf,
            List<JvmMemory.HistogramRow> histogram, Map<String, Map<String, Long>> nativeMemory, List<String> agentFlags,
            List<String> controllerFlags,
            List<String> outOfMemory) {
    }

    private FootprintBench() {
    }

    /**
     * {@code extraAgentFlags} and {@code extraControllerFlags} are appended to production's (an
     * experiment, printed with the results: e.g. {@code -XX:NativeMemoryTracking=summary}, whose
     * breakdown is then printed too).
     */
    static Result run(IptablesBackend backend, Map<String, String> settings, int policies, int endpoints,
            List<String> extraAgentFlags, List<String> extraControllerFlags, Duration deadline, FootprintInspect inspect,
            PrintStream log) throws Exception {
        log.printf("bench: footprint: building a testbed for %,d policies and %,d endpoints ...%n", policies, endpoints);
        // One real pod, so that the namespace "default" exists as it does in every cluster.
        Testbed tb = Testbed.build(TestbedOptions.builder().backend(backend).pod("fp-probe", 1, Map.of("app", "none"))
                .build());
        EgressCluster.Launch launch = EgressCluster.Launch.production(extraControllerFlags, extraAgentFlags);
        try (tb) {
            // The Pods first, before anything watches them: with the controller watching, its Pod
            // watch lost events under this load (the mock ignores resourceVersion on re-watch, see
            // docs/testbed.md) and the slices stopped at 1,404 of 10,000 endpoints.
            long t1 = System.nanoTime();
            parallel(endpoints, i -> {
                Pod p = pod(i, policies);
                createdOnce(() -> tb.client().pods().inNamespace("default").resource(p).create());
                createdOnce(() -> Kubelet.report(tb.client(), p, p.getStatus()));
                if ((i + 1) % 1000 == 0) {
                    log.printf("bench: footprint: pod %,d written after %.1f s%n", i + 1, (System.nanoTime() - t1) / 1e9);
                }
            });
            Duration podsCreated = Duration.ofNanos(System.nanoTime() - t1);
            log.printf("bench: footprint: %,d pods created in %.1f s (%.0f/s, %d writers)%n", endpoints,
                    podsCreated.toMillis() / 1e3, endpoints / Math.max(0.001, podsCreated.toMillis() / 1e3), WRITERS);
            try (EgressCluster cluster = EgressCluster.startController(tb, settings, launch)) {
                try {
                    return measure(tb, cluster, launch, policies, endpoints, podsCreated, deadline, inspect, log);
                } catch (Exception | Error e) {
                    log.println("bench: footprint failed: " + e.getMessage() + "\nthe processes' last log lines:\n"
                            + cluster.logs(40) + outOfMemory(cluster, tb));
                    throw e;
                }
            }
        }
    }

    private static Result measure(Testbed tb, EgressCluster cluster, EgressCluster.Launch launch, int policies,
            int endpoints, Duration podsCreated, Duration deadline, FootprintInspect inspect, PrintStream log) throws Exception {
        Resources r = new Resources(tb.client());
        r.create(ProjectPaths.find("deploy/examples/gateway.yaml"));
        r.awaitGatewayElected("default");

        long t0 = System.nanoTime();
        parallel(policies, j -> createdOnce(() -> r.create(policyYaml(j))));
        Duration policiesCreated = Duration.ofNanos(System.nanoTime() - t0);
        log.printf("bench: footprint: %,d policies created in %.1f s%n", policies, policiesCreated.toMillis() / 1e3);

        long written = System.nanoTime();
        // The agents start now, in the full cluster, as a DaemonSet's pods do: writing 10,000 Pods
        // while three agents and the controller reacted to each overloaded the embedded API server.
        for (String node : tb.nodeNames()) {
            cluster.startAgent(node);
        }
        log.println("bench: footprint: agents started");

        Map<String, Long> previous = new LinkedHashMap<>();
        Waits.until("every endpoint in a slice, every policy Programmed, the nodes' ipsets settled", deadline, POLL,
                () -> {
                    assertAlive(cluster, tb);
                    long listed = sliceEndpoints(r);
                    long programmed = r.list("EgressGatewayPolicy").stream().filter(FootprintBench::isProgrammed).count();
                    Map<String, Long> sets = new LinkedHashMap<>();
                    tb.nodeNames().forEach(n -> sets.put(n, sourceSetEntries(tb, n)));
                    log.printf("bench: footprint: slices list %,d/%,d endpoints, %,d/%,d policies Programmed,"
                            + " source ipset entries %s%n", listed, endpoints, programmed, policies, sets);
                    boolean settled = sets.equals(previous) && sets.values().stream().allMatch(v -> v > 0);
                    previous.clear();
                    previous.putAll(sets);
                    return listed == endpoints && programmed == policies && settled;
                });
        Duration programmed = Duration.ofNanos(System.nanoTime() - written);

        List<JvmMemory.Sample> memory = new ArrayList<>();
        List<NodeState> nodes = new ArrayList<>();
        String biggest = null;
        long biggestHeap = -1;
        for (String node : tb.nodeNames()) {
            ManagedProcess agent = cluster.agent(node);
            JvmMemory.Sample s = JvmMemory.read("agent " + node, agent.pid());
            memory.add(s);
            if (s.heapUsedKiB() > biggestHeap) {
                biggestHeap = s.heapUsedKiB();
                biggest = node;
            }
            Map<String, Double> metrics = AgentMetrics.scrape(cluster.agentMetricsPort(node));
            nodes.add(new NodeState(node, previous.getOrDefault(node, -1L),
                    metrics.getOrDefault("egressgateway_agent_last_pass_duration_seconds", -1.0) * 1e3,
                    (long) AgentMetrics.sum(metrics, "egressgateway_agent_passes_total"),
                    metrics.getOrDefault("egressgateway_agent_pass_steady_recent", -1.0).longValue(),
                    metrics.getOrDefault("egressgateway_agent_pass_steady_p50_seconds", -1.0) * 1e3,
                    metrics.getOrDefault("egressgateway_agent_pass_steady_p99_seconds", -1.0) * 1e3));
        }
        memory.add(JvmMemory.read("controller", cluster.controller().pid()));
        List<JvmMemory.HistogramRow> histogram = JvmMemory.histogram(cluster.agent(biggest).pid(), 12);
        Map<String, Map<String, Long>> nmt = new LinkedHashMap<>();
        nmt.put("agent " + biggest, JvmMemory.nativeMemory(cluster.agent(biggest).pid()));
        nmt.put("controller", JvmMemory.nativeMemory(cluster.controller().pid()));
        nmt.values().removeIf(Map::isEmpty);
        inspect.apply(tb.nodeNames().stream().collect(LinkedHashMap::new,
                (m, n) -> m.put(n, cluster.agent(n).pid()), Map::putAll), log);
        String oom = outOfMemory(cluster, tb);
        return new Result(policies, endpoints, policiesCreated, podsCreated, programmed, memory, nodes,
                "agent " + biggest, histogram, nmt, launch.agentJvm(), launch.controllerJvm(), oom.isEmpty() ? List.of() : List.of(oom.strip()));
    }

    /** Policy {@code j}: its own /32 in 198.18.0.0/15 (RFC 2544's benchmarking range) and its own selector. */
    static String policyYaml(int j) {
        return "apiVersion: egressgateway.spidernet.io/v1\nkind: EgressGatewayPolicy\nmetadata:\n  name: fp-" + j
                + "\nspec:\n  egressGatewayName: default\n  appliedTo:\n    podSelector:\n      matchLabels:\n        "
                + LABEL + ": p" + j + "\n  destCIDR:\n  - 198." + (18 + j / 65_536) + "." + (j / 256 % 256) + "."
                + (j % 256) + "/32\n";
    }

    /**
     * Pod {@code i}: selected by policy {@code i % policies}; a policy's pods take the nodes in turn, and
     * so do the policies' first pods, so every node gets a third; its IP lies in the cluster's pod CIDR above the nodes' own /24s (10.244.100.1 onwards).
     */
    static String nodeOf(int i, int policies) {
        return "node" + (1 + (i / policies + i % policies) % 3);
    }

    static Pod pod(int i, int policies) {
        String node = nodeOf(i, policies);
        String ip = "10.244." + (100 + i / 250) + "." + (1 + i % 250);
        return new PodBuilder().withNewMetadata().withName("fp-" + i).withNamespace("default")
                .addToLabels(LABEL, "p" + (i % policies)).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("testbed/none")
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).withPodIPs(new PodIP(ip))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }

    /**
     * Creates, accepting "already exists": the client retries a create whose answer timed out (the
     * loaded API server can take more than its 10 s request timeout), and the first attempt had made it.
     */
    static void createdOnce(Runnable create) {
        for (int attempt = 1;; attempt++) {
            try {
                create.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return;
                }
                // A timeout (code 0) or a server error on the overloaded server: try again a few times.
                boolean retry = e.getCode() == 0 || e.getCode() == 429 || e.getCode() >= 500;
                if (!retry || attempt == 5) {
                    throw e;
                }
                try {
                    Thread.sleep(2000L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Runs {@code write} for 0..n-1 on {@link #WRITERS} threads; the first failure fails the whole. */
    private static void parallel(int n, IntConsumer write) throws Exception {
        parallel(n, WRITERS, write);
    }

    /** Runs {@code write} for 0..n-1 on {@code writers} threads; the first failure fails the whole. */
    static void parallel(int n, int writers, IntConsumer write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int first = w;
                done.add(pool.submit(() -> {
                    for (int i = first; i < n; i += writers) {
                        write.accept(i);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static long sliceEndpoints(Resources r) {
        long n = 0;
        for (GenericKubernetesResource s : r.list("EgressEndpointSlice")) {
            if (s.getAdditionalProperties().get("endpoints") instanceof List<?> l) {
                n += l.size();
            }
        }
        return n;
    }

    static boolean isProgrammed(GenericKubernetesResource policy) {
        if (!(Resources.status(policy, "conditions") instanceof List<?> conditions)) {
            return false;
        }
        return conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Programmed".equals(m.get("type"))
                && "True".equals(m.get("status")));
    }

    /** Members of the node's {@code egress-src-*} ipsets (the pods its rules match). */
    static long sourceSetEntries(Testbed tb, String node) {
        ProcessRunner.Result r = ProcessRunner.tryRun(ProcessRunner.inNetns(tb.nodeNetns(node),
                List.of("ipset", "list", "-t")), Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
            throw new IllegalArgumentException("ipset list -t in " + node + " failed: " + r.stderr().strip());
        }
        return countSourceEntries(r.stdout());
    }

    static long countSourceEntries(String ipsetListTerse) {
        long total = 0;
        boolean source = false;
        for (String line : ipsetListTerse.lines().toList()) {
            if (line.startsWith("Name: ")) {
                source = line.substring(6).trim().startsWith("egress-src-");
            } else if (source && line.startsWith("Number of entries: ")) {
                total += Long.parseLong(line.substring("Number of entries: ".length()).trim());
            }
        }
        return total;
    }

    static void assertAlive(EgressCluster cluster, Testbed tb) {
        List<ManagedProcess> all = new ArrayList<>();
        all.add(cluster.controller());
        tb.nodeNames().stream().map(cluster::agent).filter(java.util.Objects::nonNull).forEach(all::add);
        for (ManagedProcess p : all) {
            if (!p.isAlive()) {
                throw new IllegalStateException(p.name() + " exited during the footprint run" + outOfMemory(cluster, tb)
                        + "; its log (" + p.logFile() + ") ends with:\n" + p.logTail(40));
            }
        }
    }

    /** Which processes logged an OutOfMemoryError: a finding, never hidden by larger flags. */
    private static String outOfMemory(EgressCluster cluster, Testbed tb) {
        List<String> hit = new ArrayList<>();
        List<ManagedProcess> all = new ArrayList<>();
        all.add(cluster.controller());
        tb.nodeNames().forEach(n -> all.add(cluster.agent(n)));
        for (ManagedProcess p : all) {
            try {
                if (p != null && Files.readString(p.logFile()).contains("OutOfMemoryError")) {
                    hit.add(p.name());
                }
            } catch (IOException e) {
                // no log yet: nothing to report
            }
        }
        return hit.isEmpty() ? "" : "\nOutOfMemoryError in the log of: " + hit;
    }

    static List<Table> tables(Result r) {
        Table.Builder mem = new Table.Builder(String.format("Footprint at %,d policies and %,d endpoints (after a full GC)",
                r.policies(), r.endpoints()), "process", "RSS before GC MiB", "RSS MiB", "RssAnon MiB", "RssFile MiB", "peak RSS MiB", "goal MiB",
                "heap used MiB",
                "heap committed MiB", "metaspace used MiB", "threads");
        for (JvmMemory.Sample s : r.memory()) {
            mem.row(s.process(), mib(s.rssBeforeGcKiB()), mib(s.rssKiB()), mib(s.rssAnonKiB()), mib(s.rssFileKiB()),
                    mib(s.peakRssKiB()),
                    s.process().startsWith("agent") ? GOAL_MIB : CONTROLLER_GOAL_MIB,
                    mib(s.heapUsedKiB()), mib(s.heapCommittedKiB()), mib(s.metaspaceUsedKiB()), s.threads());
        }
        mem.note("agent JVM flags (bin/agent-jvm-options, as production, plus any --agent-jvm-extra): "
                + String.join(" ", r.agentFlags())
                + "; metrics and health listeners on; controller JVM flags (bin/controller-jvm-options, as"
                + " production, plus any --controller-jvm-extra): " + String.join(" ", r.controllerFlags()));
        mem.note("goal (shared/style.md, issue 18): at most 128 MiB per agent and 256 MiB for the controller at 1,000"
                + " policies and 10,000 endpoints; RSS is the figure that compares with it (read before and after a"
                + " forced full GC: production never forces one), peak RSS (VmHWM) includes the start and the initial"
                + " lists; RSS = RssAnon (heap, metaspace, code, malloc, written CDS pages) + RssFile (libraries, the"
                + " CDS archive's clean pages: charged by a memory cgroup, but reclaimable page cache)");
        if (!r.outOfMemory().isEmpty()) {
            mem.note(String.join("; ", r.outOfMemory()));
        }
        Table.Builder nodes = new Table.Builder("Footprint run: what the agents hold", "node", "source ipset entries",
                "last pass ms", "passes", "steady passes", "steady p50 ms", "steady p99 ms");
        for (NodeState n : r.nodes()) {
            nodes.row(n.node(), n.sourceSetEntries(), n.lastPassMs() < 0 ? "?" : n.lastPassMs(), n.passes(),
                    n.steadyPasses(), n.steadyP50Ms() < 0 ? "?" : n.steadyP50Ms(), n.steadyP99Ms() < 0 ? "?" : n.steadyP99Ms());
        }
        nodes.note(String.format("created %,d policies in %.1f s and %,d Pod objects in %.1f s (%d concurrent writers"
                + " to the API server); from the last Pod written to everything programmed and settled:"
                + " %.1f s (polled every %d s)", r.policies(), r.policiesCreated().toMillis() / 1e3, r.endpoints(),
                r.podsCreated().toMillis() / 1e3, WRITERS, r.programmed().toMillis() / 1e3, POLL.toSeconds()));
        nodes.note("last pass: the agent's egressgateway_agent_last_pass_duration_seconds gauge after the run settled; steady: the"
                + " passes that read the whole kernel back and had nothing to do (resyncs at rest, every agent.resyncInterval),"
                + " quantiles over the last 256 (`--scenarios convergence` waits for enough of them at scale)");
        Table.Builder hist = new Table.Builder("Largest classes on the heap of the " + r.histogramOf()
                + " (jcmd GC.class_histogram)", "class", "instances", "MiB");
        for (JvmMemory.HistogramRow h : r.histogram()) {
            hist.row(h.className(), h.instances(), h.bytes() / 1_048_576.0);
        }
        List<Table> out = new ArrayList<>(List.of(mem.build(), nodes.build(), hist.build()));
        r.nativeMemory().forEach((process, categories) -> {
            Table.Builder nmt = new Table.Builder("Where the resident memory of the " + process
                    + " goes (jcmd VM.native_memory summary, committed)", "category", "MiB");
            categories.forEach((category, kib) -> nmt.row(category, kib / 1024.0));
            r.memory().stream().filter(m -> m.process().equals(process)).findFirst()
                    .filter(m -> categories.containsKey(JvmMemory.TOTAL))
                    .ifPresent(m -> nmt.row("RSS minus NMT's total (malloc arenas, libraries, CDS, untracked)",
                            (m.rssKiB() - categories.get(JvmMemory.TOTAL)) / 1024.0));
            nmt.note("committed is an upper bound of resident; native memory tracking itself costs a few MiB");
            out.add(nmt.build());
        });
        return out;
    }

    private static Object mib(long kib) {
        return kib < 0 ? "?" : (Object) (kib / 1024.0);
    }
}
