package io.egressgateway.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FootprintBenchTest {

    @Test
    void everyPolicyHasItsOwnDestinationAndSelector() {
        Set<String> dest = new HashSet<>();
        for (int j = 0; j < 1000; j++) {
            String yaml = FootprintBench.policyYaml(j);
            assertThat(yaml).contains("name: fp-" + j + "\n", "footprint: p" + j + "\n");
            dest.add(yaml.substring(yaml.indexOf("- 198.")));
        }
        assertThat(dest).hasSize(1000);
        assertThat(FootprintBench.policyYaml(258)).contains("- 198.18.1.2/32");
    }

    @Test
    void podsAreSpreadSoThatEachPolicySelectsTheSameNumberOnEveryNode() {
        int policies = 1000;
        Map<String, Long> perPolicy = IntStream.range(0, 10_000).mapToObj(i -> FootprintBench.pod(i, policies))
                .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get("footprint"), Collectors.counting()));
        assertThat(perPolicy).hasSize(policies).allSatisfy((k, v) -> assertThat(v).isEqualTo(10L));
        Map<String, Long> perNode = IntStream.range(0, 10_000).mapToObj(i -> FootprintBench.pod(i, policies))
                .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(), TreeMap::new, Collectors.counting()));
        assertThat(perNode).containsOnlyKeys("node1", "node2", "node3").allSatisfy((k, v) -> assertThat(v).isBetween(3333L, 3334L));
        Set<String> ips = IntStream.range(0, 35_000).mapToObj(i -> FootprintBench.pod(i, policies).getStatus().getPodIP())
                .collect(Collectors.toSet());
        assertThat(ips).hasSize(35_000).allMatch(ip -> ip.startsWith("10.244.") && !ip.endsWith(".0"));
        Pod p = FootprintBench.pod(7, policies);
        assertThat(p.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void countsOnlyTheSourceSetsMembers() {
        String listed = """
                Name: egress-src-v4-1a2b
                Type: hash:net
                Number of entries: 12
                Name: egress-dst-v4-1a2b
                Number of entries: 5
                Name: egress-src-v4-ffff
                Number of entries: 30
                Name: egress-cluster-v4
                Number of entries: 2
                """;
        assertThat(FootprintBench.countSourceEntries(listed)).isEqualTo(42);
    }

    @Test
    void readsUnlabelledMetricsAndProcStatus() {
        Map<String, Double> m = AgentMetrics.parse("""
                # HELP egressgateway_agent_last_pass_duration_seconds x
                egressgateway_agent_last_pass_duration_seconds 0.0125
                egressgateway_agent_operations_applied_total{kind="ipset"} 3.0
                egressgateway_agent_passes_total{result="ok"} 15.0
                egressgateway_agent_passes_total{result="error"} 2.0
                """);
        assertThat(m).containsEntry("egressgateway_agent_last_pass_duration_seconds", 0.0125).hasSize(4);
        assertThat(AgentMetrics.sum(m, "egressgateway_agent_passes_total")).isEqualTo(17.0);
        assertThat(AgentMetrics.sum(m, "egressgateway_agent_passes")).as("a family is matched by its whole name").isEqualTo(-1.0);
        String status = "Name:\tjava\nVmHWM:\t  140000 kB\nVmRSS:\t  120000 kB\nThreads:\t31\n";
        assertThat(JvmMemory.statusKiB(status, "VmRSS")).isEqualTo(120_000);
        assertThat(JvmMemory.statusKiB(status, "VmHWM")).isEqualTo(140_000);
        assertThat(JvmMemory.statusKiB(status, "Threads")).isEqualTo(31);
        assertThat(JvmMemory.statusKiB(status, "VmSwap")).isEqualTo(-1);
    }

    @Test
    void readsTheNativeMemoryCategoriesLargestFirst() {
        Map<String, Long> nmt = JvmMemory.parseNativeMemory("""
                Total: reserved=1500000KB, committed=150000KB
                -                 Java Heap (reserved=98304KB, committed=95040KB)
                                            (mmap: reserved=98304KB, committed=95040KB)
                -                     Class (reserved=1050000KB, committed=38000KB)
                -                    Thread (reserved=24000KB, committed=2400KB)
                -      Arena Chunk (reserved=100KB, committed=100KB)
                """);
        assertThat(nmt).containsExactly(Map.entry("Java Heap", 95_040L), Map.entry("Class", 38_000L),
                Map.entry("Thread", 2_400L), Map.entry("Arena Chunk", 100L), Map.entry(JvmMemory.TOTAL, 150_000L));
    }
}
