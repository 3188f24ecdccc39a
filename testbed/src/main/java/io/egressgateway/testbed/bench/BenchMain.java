package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.IptablesBackend;
import io.egressgateway.testbed.cluster.EgressCluster;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code egressgateway bench}: the datapath benchmarks of datapath.md ("Performance budget") on a
 * fresh testbed with the real controller and agents, printed as Markdown tables. Measures, never
 * judges: the budgets are printed beside the numbers.
 */
@Command(name = "egressgateway bench", mixinStandardHelpOptions = true,
        description = "Measure throughput, pod-added latency, failover time and memory footprint on the testbed"
                + " (needs root).")
public final class BenchMain implements Callable<Integer> {

    /**
     * What can be measured; the first three on the same testbed, failover last (it restarts agents);
     * footprint and convergence on testbeds of their own (their scale would slow down the others), not
     * run by default.
     */
    enum Scenario { THROUGHPUT, POD_ADDED, FAILOVER, FOOTPRINT, CONVERGENCE }

    /** The raw results of one run (null for a scenario not run) and the tables printed. */
    record Report(ThroughputBench.Result throughput, PodAddedBench.Result podAdded, List<FailoverBench.Run> failover,
            FootprintBench.Result footprint, ConvergenceBench.Result convergence, List<Table> tables) {
        /** A run without the convergence scenario. */
        Report(ThroughputBench.Result throughput, PodAddedBench.Result podAdded, List<FailoverBench.Run> failover,
               FootprintBench.Result footprint, List<Table> tables) {
            this(throughput, podAdded, failover, footprint, null, tables);
        }
    }

    @Option(names = "--scenarios", split = ",", paramLabel = "throughput,pod-added,failover,footprint,convergence",
            description = "Which benchmarks to run (default: throughput,pod-added,failover; footprint and convergence"
                    + " take several minutes at full scale and run only when named).")
    List<String> scenarios = List.of("throughput", "pod-added", "failover");

    @Option(names = "--runs", paramLabel = "N", description = "Throughput runs per path, alternating (default: 5).")
    int runs = 5;

    @Option(names = "--seconds", paramLabel = "S", description = "Seconds per throughput run (default: 5).")
    int seconds = 5;

    @Option(names = "--samples", paramLabel = "N", description = "Pod-added samples per kind (default: 40).")
    int samples = 40;

    @Option(names = "--failovers", paramLabel = "N", description = "Gateway failovers (default: 10).")
    int failovers = 10;

    @Option(names = "--probe-interval-ms", paramLabel = "MS",
            description = "How often a new probe connection leaves the pod (default: 10).")
    int probeIntervalMs = 10;

    @Option(names = "--policies", paramLabel = "N", description = "Footprint, convergence: policies (default: 1000).")
    int policies = 1000;

    @Option(names = "--endpoints", paramLabel = "N", description = "Footprint, convergence: Pod objects, spread over"
            + " the policies and nodes (default: 10000).")
    int endpoints = 10_000;

    @Option(names = "--footprint-deadline-s", paramLabel = "S",
            description = "Footprint, convergence: how long to wait for everything to be programmed (default: 1800).")
    int footprintDeadline = 1800;

    @Option(names = "--agent-jvm-extra", paramLabel = "FLAGS",
            description = "JVM flags appended to the agent's production flags (every scenario starts the product with them), an experiment printed with"
                    + " the results, e.g. \"-XX:NativeMemoryTracking=summary\" (adds a breakdown table); {node} in a flag"
                    + " becomes the agent's node name (-XX:DumpLoadedClassList=/tmp/{node}.classlist).")
    String agentJvmExtra = "";

    @Option(names = "--controller-jvm-extra", paramLabel = "FLAGS",
            description = "JVM flags appended to the controller's production flags (as --agent-jvm-extra; not in the convergence scenario).")
    String controllerJvmExtra = "";

    @Option(names = "--footprint-dump", paramLabel = "DIR",
            description = "Footprint: also write every agent's whole live class histogram (jcmd GC.class_histogram,"
                    + " after everything is programmed) to DIR/agent-<node>.histo.")
    Path footprintDump;

    @Option(names = "--footprint-hold-s", paramLabel = "S",
            description = "Footprint: after the reading, keep the testbed S seconds more (the agents' pids are"
                    + " printed) for jcmd/jstat by hand; then tear it down as usual (default: 0).")
    int footprintHold;
    @Option(names = "--profile-dir", paramLabel = "DIR",
            description = "Throughput: also profile one direct and one gateway run with perf (the sending thread, which"
                    + " carries the kernel's forwarding) and write the reports and the devices' offloads to DIR.")
    Path profileDir;

    @Option(names = "--smoke", description = "A few samples of everything (about a minute): proves the harness works.")
    boolean smoke;

    @Option(names = "--backend", paramLabel = "nft|legacy", description = "iptables backend of the nodes (default: nft).")
    String backend = "nft";

    @Option(names = "--set", paramLabel = "EGW_KEY=VALUE",
            description = "A setting of the controller and agents, e.g. --set EGW_HEARTBEAT_EVICTIONTIMEOUT=2s (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            run(System.out);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            System.err.println("bench: " + e.getMessage());
            return 1;
        }
    }

    /** Runs the chosen scenarios on one fresh testbed and prints the tables to {@code out}. */
    Report run(PrintStream out) throws Exception {
        Set<Scenario> chosen = parseScenarios();
        if (smoke) {
            runs = 1;
            seconds = 1;
            samples = 2;
            failovers = 1;
            policies = Math.min(policies, 10);
            endpoints = Math.min(endpoints, 100);
        }
        check("--runs", runs, 1, 1000);
        check("--seconds", seconds, 1, 3600);
        check("--samples", samples, 1, 10_000);
        check("--failovers", failovers, 1, 1000);
        check("--probe-interval-ms", probeIntervalMs, 1, 10_000);
        check("--policies", policies, 1, 65_536);
        check("--endpoints", endpoints, policies, 35_000);
        check("--footprint-deadline-s", footprintDeadline, 10, 86_400);
        check("--footprint-hold-s", footprintHold, 0, 3_600);
        for (String k : settings.keySet()) {
            if (!k.startsWith("EGW_")) {
                throw new IllegalArgumentException("--set: \"" + k + "\" is not a setting; settings are EGW_<KEY>=<VALUE>");
            }
        }
        Duration eviction = evictionTimeout();
        IptablesBackend b = IptablesBackend.parse(backend);
        Duration interval = Duration.ofMillis(probeIntervalMs);
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadAtStart = loadAverage();
        List<Table> tables = new ArrayList<>();
        ThroughputBench.Result tp = null;
        PodAddedBench.Result pa = null;
        List<FailoverBench.Run> fo = null;
        FootprintBench.Result fp = null;
        ConvergenceBench.Result cv = null;
        Exception failure = null;
        List<String> extra = agentJvmExtra.isBlank() ? List.of() : List.of(agentJvmExtra.trim().split("\\s+"));
        List<String> extraController = controllerJvmExtra.isBlank() ? List.of()
                : List.of(controllerJvmExtra.trim().split("\\s+"));
        try {
            if (chosen.stream().anyMatch(c -> c != Scenario.FOOTPRINT && c != Scenario.CONVERGENCE)) {
                // As production starts them: the budget lines judge the flags a cluster runs (until 2026-12-03
                // these scenarios ran the E2E tests' roomy flags, the controller on G1 with C2).
                try (BenchBed bed = BenchBed.start(b, settings, EgressCluster.Launch.production(extraController, extra), out)) {
                    try {
                        if (chosen.contains(Scenario.THROUGHPUT)) {
                            tp = ThroughputBench.run(bed, runs, Duration.ofSeconds(seconds), profileDir);
                            tables.addAll(ThroughputBench.tables(tp, runs, Duration.ofSeconds(seconds)));
                        }
                        if (chosen.contains(Scenario.POD_ADDED)) {
                            ControllerTimes.Snapshot before = ControllerTimes.scrape(bed.cluster);
                            pa = PodAddedBench.run(bed, samples, interval);
                            tables.add(PodAddedBench.table(pa));
                            tables.add(ControllerTimes.table("The controller during the pod-added samples", before,
                                    ControllerTimes.scrape(bed.cluster)));
                        }
                        if (chosen.contains(Scenario.FAILOVER)) {
                            fo = FailoverBench.run(bed, failovers, interval);
                            tables.add(FailoverBench.table(fo, interval, settings.isEmpty() ? "default settings"
                                    : "settings " + settings));
                        }
                    } catch (Exception e) {
                        // The run directory with the processes' logs is removed on close: show them while they exist.
                        out.println("bench: failed: " + e.getMessage() + "\nthe processes' last log lines:\n"
                                + bed.cluster.logs(40));
                        throw e;
                    }
                }
            }
            if (chosen.contains(Scenario.FOOTPRINT)) {
                fp = FootprintBench.run(b, settings, policies, endpoints, extra, extraController,
                        Duration.ofSeconds(footprintDeadline), new FootprintInspect(footprintDump,
                                Duration.ofSeconds(footprintHold)), out);
                tables.addAll(FootprintBench.tables(fp));
            }
            if (chosen.contains(Scenario.CONVERGENCE)) {
                cv = ConvergenceBench.run(b, settings, policies, endpoints, extra, Duration.ofSeconds(footprintDeadline), out);
                tables.addAll(ConvergenceBench.tables(cv));
            }
        } catch (Exception e) {
            // A scenario that fails (an agent that exits, a deadline) must not take the others' figures with it.
            failure = e;
        }
        tables.add(verdicts(new Report(tp, pa, fo, fp, cv, List.of()), eviction));
        String what = failure != null
                ? ", incomplete: " + String.valueOf(failure.getMessage()).lines().findFirst().orElse("")
                : smoke ? " (smoke: too few samples to quote)" : "";
        print(out, started + what, b, loadAtStart, tables);
        if (failure != null) {
            throw failure;
        }
        return new Report(tp, pa, fo, fp, cv, tables);
    }

    private static void print(PrintStream out, String run, IptablesBackend b, String loadAtStart, List<Table> tables) {
        out.println();
        out.println("## Run of " + run);
        out.println();
        out.println(machine(b) + "; at the start " + loadAtStart);
        out.println();
        tables.forEach(t -> out.println(t.markdown()));
        out.flush();
    }

    /**
     * Every budget line of datapath.md and issue 18 beside what this run measured and its verdict; a
     * line whose scenario did not run says so. Judged on the figures as measured: on a loaded machine
     * a FAIL may be the machine's (the load average is printed with the run).
     */
    static Table verdicts(Report r, Duration eviction) {
        Table.Builder t = new Table.Builder("Budgets: every line with its verdict", "budget", "goal", "measured",
                "verdict");
        ThroughputBench.Result tp = r.throughput();
        verdict(t, "throughput, gateway / direct, one TCP stream", ">= 0.95", tp == null ? null
                : new double[] {tp.ratio()}, v -> v >= 0.95, tp == null ? "" : " (" + tp.verdict().underlay() + ")");
        ThroughputBench.Setting apart = tp == null ? null : tp.setting(ThroughputBench.SEPARATE).orElse(null);
        verdict(t, "throughput, gateway / direct, one TCP stream, the gateway's hop on its own CPU", ">= 0.95",
                apart == null ? null : new double[] {apart.ratio()}, v -> v >= 0.95, " (" + ThroughputBench.SEPARATE + ")");
        PodAddedBench.Result pa = r.podAdded();
        verdict(t, "pod created: API write to first packet with the EIP, p99", "< 300 ms", pa == null ? null
                : p99(pa.created()), v -> v < 300, " ms");
        verdict(t, "pod created: the agents' share (slice to first packet), p99", "< 100 ms", pa == null ? null
                : p99(minus(pa.created(), pa.createdToSlice())), v -> v < 100, " ms");
        verdict(t, "label flipped to the selector: end to end, p99", "< 300 ms", pa == null ? null
                : p99(pa.labelAdded()), v -> v < 300, " ms");
        verdict(t, "label flipped to the selector: the agents' share, p99", "< 100 ms", pa == null ? null
                : p99(minus(pa.labelAdded(), pa.labelAddedToSlice())), v -> v < 100, " ms");
        double foGoal = eviction.toMillis() + 1000;
        verdict(t, "gateway failure to traffic through another gateway, p99", "<= " + Table.fmt(foGoal)
                + " ms (evictionTimeout + 1 s)", r.failover() == null ? null
                : p99(r.failover().stream().map(FailoverBench.Run::outageMs).toList()), v -> v <= foGoal, " ms");
        FootprintBench.Result fp = r.footprint();
        verdict(t, "agent RSS at the footprint scale (largest agent)", "<= 128 MiB", fp == null ? null
                : new double[] {rssMiB(fp, true)}, v -> v <= 128, " MiB");
        verdict(t, "controller RSS at the footprint scale", "<= 256 MiB", fp == null ? null
                : new double[] {rssMiB(fp, false)}, v -> v <= 256, " MiB");
        ConvergenceBench.Result cvr = r.convergence();
        verdict(t, "steady agent pass at scale after convergence, mean wall per pass (slowest node)", "< 100 ms",
                cvr == null ? null : new double[] {cvr.slowestSteadyMs()}, v -> v >= 0 && v < 100, " ms");
        verdict(t, "convergence: last Pod written to everything programmed", "<= 30 s", fp == null ? null
                : new double[] {fp.programmed().toMillis() / 1000.0}, v -> v <= 30, " s");
        t.note("footprint figures come from the footprint scenario (--scenarios=footprint); its scale is printed with it");
        t.note("the steady pass comes from the convergence scenario (--scenarios=convergence): the agents' phase counters"
                + " over the steady passes from convergence to the end (at rest), not the p50/p99 gauges, whose last"
                + " 256 steady passes include those run while 10,000 Pods were being written");
        return t.build();
    }

    private static void verdict(Table.Builder t, String budget, String goal, double[] measured,
            java.util.function.DoublePredicate ok, String unit) {
        if (measured == null) {
            t.row(budget, goal, "-", "not run");
        } else {
            t.row(budget, goal, Table.fmt(measured[0]) + unit, ok.test(measured[0]) ? "PASS" : "FAIL");
        }
    }

    private static double[] p99(List<Double> v) {
        return new double[] {Stats.of(v).p99()};
    }

    private static List<Double> minus(List<Double> a, List<Double> b) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            d.add(a.get(i) - b.get(i));
        }
        return d;
    }

    private static double rssMiB(FootprintBench.Result fp, boolean agents) {
        return fp.memory().stream().filter(m -> m.process().startsWith("agent") == agents)
                .mapToLong(JvmMemory.Sample::rssKiB).max().orElse(0) / 1024.0;
    }

    /** The eviction timeout this run's agents and controller use: {@code --set EGW_HEARTBEAT_EVICTIONTIMEOUT} or 5 s. */
    Duration evictionTimeout() {
        String v = settings.getOrDefault("EGW_HEARTBEAT_EVICTIONTIMEOUT", "5s").trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s)").matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("EGW_HEARTBEAT_EVICTIONTIMEOUT: \"" + v + "\" is not <n>s or <n>ms");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?"; // not Linux /proc: unknown
        }
    }

    private Set<Scenario> parseScenarios() {
        Set<Scenario> s = EnumSet.noneOf(Scenario.class);
        for (String name : scenarios) {
            try {
                s.add(Scenario.valueOf(name.trim().toUpperCase().replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--scenarios: unknown scenario \"" + name
                        + "\"; known: throughput, pod-added, failover, footprint, convergence");
            }
        }
        return s;
    }

    private static void check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + ", got " + value);
        }
    }

    /** What the numbers were measured on: they mean little without it. */
    private static String machine(IptablesBackend b) {
        String load = loadAverage();
        String kernel = ProcessRunner.tryRun(List.of("uname", "-r"), Duration.ofSeconds(5)).stdout().trim();
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, kernel " + kernel + ", Java "
                + System.getProperty("java.version") + ", iptables " + b.name().toLowerCase() + ", load average at the end "
                + load;
    }
}
