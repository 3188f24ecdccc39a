package io.egressgateway.testbed.container;

import io.egressgateway.testbed.ManagedProcess;
import io.egressgateway.testbed.kube.ControlPlane;
import io.egressgateway.testbed.netns.ProcessRunner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod of a workload run by podman as kubelet runs it: its init containers one after the other
 * (each must exit 0), then its container, attached so that its output is the pod's log; a supervisor
 * runs the startup, liveness and readiness probes on their periods, restarts the container when a
 * liveness probe fails its threshold or the container exits (restartPolicy Always, kubelet's doubling
 * back-off from 10 s), and logs every transition. {@link #ready()} and {@link #restarts()} make an
 * unready or unlive container visible to a test.
 */
public final class ContainerPod implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerPod.class);
    private static final Duration INIT_DEADLINE = Duration.ofMinutes(3);

    private final String name;
    private final String logName;
    private final ControlPlane.Launcher launcher;
    private final long graceSeconds;
    private final List<Probe> startup = new ArrayList<>();
    private final List<Probe> liveness = new ArrayList<>();
    private final List<Probe> readiness = new ArrayList<>();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile ManagedProcess process;
    private volatile boolean stopping;
    private volatile boolean ready;
    private Thread supervisor;

    private ContainerPod(String name, String logName, ControlPlane.Launcher launcher, long graceSeconds) {
        this.name = name;
        this.logName = logName;
        this.launcher = launcher;
        this.graceSeconds = graceSeconds;
    }

    /**
     * Runs the pod of {@code template} as container {@code name} (init containers {@code name-init-<c>}),
     * its output in the log {@code logName}; returns once the container started (not once it is ready).
     */
    public static ContainerPod start(ControlPlane.Launcher launcher, String logName, String name,
            PodTemplateSpec template, String image, PodContext ctx) {
        PodSpec spec = template.getSpec();
        String imageUser = Podman.imageUser(image);
        Volumes volumes = new Volumes();
        long grace = spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds();
        ContainerPod pod = new ContainerPod(name, logName, launcher, grace);
        Container c = spec.getContainers().get(0);
        String netns = ctx.netnsPath().substring(ctx.netnsPath().lastIndexOf('/') + 1);
        add(pod.startup, "startupProbe", c.getStartupProbe(), c, netns, ctx.podIp(), name);
        add(pod.liveness, "livenessProbe", c.getLivenessProbe(), c, netns, ctx.podIp(), name);
        add(pod.readiness, "readinessProbe", c.getReadinessProbe(), c, netns, ctx.podIp(), name);
        List<String> main = new ArrayList<>(Podman.run());
        main.addAll(ContainerArgs.of(name, spec, c, image, imageUser, ctx, volumes));
        if (spec.getInitContainers() != null) {
            for (Container init : spec.getInitContainers()) {
                pod.runInit(init, spec, image, imageUser, ctx, volumes);
            }
        }
        pod.process = launcher.start(logName, main, Map.of());
        pod.supervisor = new Thread(pod::supervise, "kubelet-" + name);
        pod.supervisor.setDaemon(true);
        pod.supervisor.start();
        return pod;
    }

    private static void add(List<Probe> to, String kind, io.fabric8.kubernetes.api.model.Probe p, Container c,
            String netns, String podIp, String name) {
        if (p != null) {
            to.add(new Probe(kind, p, c, netns, podIp, name).validate());
        }
    }

    private void runInit(Container init, PodSpec spec, String image, String imageUser, PodContext ctx, Volumes volumes) {
        String initName = name + "-init-" + init.getName();
        List<String> argv = new ArrayList<>(Podman.run());
        argv.add("--rm");
        argv.addAll(ContainerArgs.of(initName, spec, init, image, imageUser, ctx, volumes));
        ManagedProcess p = launcher.start(logName, argv, Map.of());
        int code = p.waitFor(INIT_DEADLINE);
        if (code != 0) {
            p.kill();
            ProcessRunner.tryRun(Podman.cli("rm", "-f", "-t", "0", initName), Duration.ofSeconds(30));
            throw new IllegalStateException("init container " + init.getName() + " of " + name + " "
                    + (code < 0 ? "did not finish in " + INIT_DEADLINE : "exited " + code) + "; its log ("
                    + p.logFile() + ") ends with:\n" + p.logTail(30));
        }
        LOG.info("testbed: init container {} of {} completed", init.getName(), name);
    }

    private void supervise() {
        long started = System.nanoTime();
        long[] next = new long[startup.size() + liveness.size() + readiness.size()];
        int[] fails = new int[next.length];
        int[] oks = new int[next.length];
        boolean startedOk = startup.isEmpty();
        while (!stopping) {
            ManagedProcess p = process;
            if (!p.isAlive()) {
                if (stopping) {
                    return;
                }
                ready = false;
                int n = restarts.incrementAndGet();
                long backoff = Math.min(300, 10L << Math.min(5, n - 1));
                LOG.warn("testbed: container {} exited ({}); restarting it in {} s (restart {})", name,
                        p.waitFor(Duration.ZERO), backoff, n);
                if (!sleep(Duration.ofSeconds(backoff)) || stopping) {
                    return;
                }
                process = launcher.start(logName, Podman.cli("start", "--attach", name), Map.of());
                started = System.nanoTime();
                java.util.Arrays.fill(next, 0);
                java.util.Arrays.fill(fails, 0);
                java.util.Arrays.fill(oks, 0);
                startedOk = startup.isEmpty();
                continue;
            }
            long sinceStart = (System.nanoTime() - started) / 1_000_000;
            List<Probe> due = new ArrayList<>(startedOk ? List.of() : startup);
            if (startedOk) {
                due.addAll(liveness);
                due.addAll(readiness);
            }
            for (Probe probe : due) {
                int i = index(probe);
                if (sinceStart < probe.initialDelaySeconds() * 1000L || sinceStart < next[i]) {
                    continue;
                }
                next[i] = sinceStart + probe.periodSeconds() * 1000L;
                String failure = probe.run();
                if (failure == null) {
                    fails[i] = 0;
                    oks[i]++;
                } else {
                    oks[i] = 0;
                    fails[i]++;
                    LOG.info("testbed: {} {} failed ({}/{}): {}", name, probe.kind(), fails[i], probe.failureThreshold(),
                            failure);
                }
                if (probe.kind().equals("readinessProbe")) {
                    boolean was = ready;
                    if (oks[i] >= probe.successThreshold()) {
                        ready = true;
                    } else if (fails[i] >= probe.failureThreshold()) {
                        ready = false;
                    }
                    if (was != ready) {
                        LOG.info("testbed: container {} is {}", name, ready ? "ready" : "not ready");
                    }
                } else if (probe.kind().equals("startupProbe") && oks[i] >= 1) {
                    startedOk = true;
                } else if (fails[i] >= probe.failureThreshold()) {
                    LOG.warn("testbed: container {} failed its {}: kubelet restarts it", name, probe.kind());
                    ProcessRunner.tryRun(Podman.cli("stop", "-t", Long.toString(graceSeconds), name),
                            Duration.ofSeconds(graceSeconds + 30));
                    break;
                }
            }
            if (!sleep(Duration.ofMillis(250))) {
                return;
            }
        }
    }

    private int index(Probe p) {
        int i = startup.indexOf(p);
        if (i >= 0) {
            return i;
        }
        i = liveness.indexOf(p);
        return i >= 0 ? startup.size() + i : startup.size() + liveness.size() + readiness.indexOf(p);
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String name() {
        return name;
    }

    /** The attached {@code podman} process of the container's current run (its log, whether it runs). */
    public ManagedProcess process() {
        return process;
    }

    /** Whether the readiness probe (if any: else whether it runs) passes, as kubelet reports it. */
    public boolean ready() {
        return readiness.isEmpty() ? process.isAlive() : ready;
    }

    /** How often the container was restarted (it exited, or failed its liveness probe). */
    public int restarts() {
        return restarts.get();
    }

    /** Stops the container as kubelet deletes a pod: SIGTERM, SIGKILL after {@code grace}; not restarted. */
    public void stop(Duration grace) {
        stopping = true;
        ProcessRunner.tryRun(Podman.cli("stop", "-t", Long.toString(Math.max(1, grace.toSeconds())), name),
                grace.plusSeconds(30));
        process.waitFor(Duration.ofSeconds(10));
        halt();
    }

    /** SIGKILL to the container (a crash, or its node lost): not restarted. */
    public void kill() {
        stopping = true;
        ProcessRunner.tryRun(Podman.cli("kill", "--signal", "KILL", name), Duration.ofSeconds(30));
        process.waitFor(Duration.ofSeconds(10));
        halt();
    }

    private void halt() {
        if (supervisor != null) {
            supervisor.interrupt();
        }
        if (process.isAlive()) {
            process.kill();
        }
    }

    /** Stops the container if it runs and removes it. */
    @Override
    public void close() {
        if (!stopping) {
            stop(Duration.ofSeconds(10));
        }
        ProcessRunner.Result r = ProcessRunner.tryRun(Podman.cli("rm", "-f", "-t", "0", name), Duration.ofSeconds(60));
        if (!r.ok()) {
            LOG.warn("testbed: podman rm {} failed: {}", name, r.stderr().strip());
        }
    }
}
