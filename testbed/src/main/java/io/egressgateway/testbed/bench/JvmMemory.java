package io.egressgateway.testbed.bench;

import io.egressgateway.testbed.netns.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory of a running JVM as the kernel and the JVM itself report it: resident and peak resident
 * set ({@code /proc/<pid>/status}), heap and metaspace ({@code jcmd GC.heap_info}) after a full
 * collection ({@code jcmd GC.run}), so that the heap figure is live data rather than garbage.
 */
final class JvmMemory {
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern GENERATION = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final Pattern METASPACE = Pattern.compile("^\\s*Metaspace\\s+used (\\d+)K, committed (\\d+)K",
            Pattern.MULTILINE);
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)",
            Pattern.MULTILINE);
    private static final Pattern NMT_TOTAL = Pattern.compile("^Total: reserved=\\d+KB, committed=(\\d+)KB",
            Pattern.MULTILINE);
    private static final Pattern NMT_CATEGORY = Pattern.compile(
            "^-\\s+([A-Za-z][A-Za-z ]*?)\\s+\\(reserved=\\d+KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);

    /**
     * KiB figures; -1 where the source did not say. RSS splits into anonymous pages ({@code RssAnon}:
     * heap, metaspace, code, malloc, and the pages of a CDS archive the JVM wrote to) and file-backed
     * ones ({@code RssFile}: libjvm and the other libraries, the jars' mapped central directories, the
     * CDS archive's clean pages). A memory cgroup charges both, but file pages are clean page cache
     * that the kernel reclaims under the limit before it kills anything.
     */
    record Sample(String process, long pid, long rssBeforeGcKiB, long rssKiB, long rssAnonKiB, long rssFileKiB,
            long peakRssKiB, long heapUsedKiB, long heapCommittedKiB, long metaspaceUsedKiB,
            long metaspaceCommittedKiB, int threads) {
    }

    /** One row of a class histogram: the classes holding the most live bytes. */
    record HistogramRow(String className, long instances, long bytes) {
    }

    /** The key of NMT's own total in {@link #nativeMemory}. */
    static final String TOTAL = "Total (NMT)";

    private JvmMemory() {
    }

    /** Forces a full GC in {@code pid}, then reads everything; {@code process} names it in the table. */
    static Sample read(String process, long pid) {
        // as it runs, before the forced collection: production never forces one, and the heap
        // shrinks (-XX:MaxHeapFreeRatio) only after a full collection
        long before = statusKiB(readStatus(pid), "VmRSS");
        jcmd(pid, "GC.run");
        String status = readStatus(pid);
        String heap = jcmd(pid, "GC.heap_info");
        long used = 0;
        long committed = 0;
        Matcher g = GENERATION.matcher(heap);
        boolean any = false;
        while (g.find()) {
            committed += Long.parseLong(g.group(1));
            used += Long.parseLong(g.group(2));
            any = true;
        }
        Matcher m = METASPACE.matcher(heap);
        boolean meta = m.find();
        return new Sample(process, pid, before, statusKiB(status, "VmRSS"), statusKiB(status, "RssAnon"),
                statusKiB(status, "RssFile"), statusKiB(status, "VmHWM"), any ? used : -1,
                any ? committed : -1, meta ? Long.parseLong(m.group(1)) : -1, meta ? Long.parseLong(m.group(2)) : -1,
                (int) statusKiB(status, "Threads"));
    }

    /** The {@code top} classes by live bytes ({@code jcmd GC.class_histogram}, which collects first). */
    static List<HistogramRow> histogram(long pid, int top) {
        List<HistogramRow> rows = new ArrayList<>();
        Matcher m = HISTOGRAM_ROW.matcher(jcmd(pid, "GC.class_histogram"));
        while (m.find() && rows.size() < top) {
            rows.add(new HistogramRow(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
        return rows;
    }

    /**
     * Committed KiB per category of {@code jcmd VM.native_memory summary} (Java Heap, Class, Thread,
     * Code, GC, ...), largest first; empty when the JVM was started without
     * {@code -XX:NativeMemoryTracking=summary}.
     */
    static Map<String, Long> nativeMemory(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        ProcessRunner.Result r = ProcessRunner.tryRun(List.of(jcmd, Long.toString(pid), "VM.native_memory", "summary"),
                JCMD_TIMEOUT);
        return r.exitCode() == 0 ? parseNativeMemory(r.stdout()) : Map.of();
    }

    static Map<String, Long> parseNativeMemory(String summary) {
        Map<String, Long> committed = new LinkedHashMap<>();
        Matcher m = NMT_CATEGORY.matcher(summary);
        while (m.find()) {
            committed.put(m.group(1).trim(), Long.parseLong(m.group(2)));
        }
        Map<String, Long> out = committed.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .collect(LinkedHashMap::new, (acc, e) -> acc.put(e.getKey(), e.getValue()), Map::putAll);
        Matcher t = NMT_TOTAL.matcher(summary);
        if (t.find()) {
            out.put(TOTAL, Long.parseLong(t.group(1)));
        }
        return out;
    }

    /** A field of {@code /proc/<pid>/status} ("VmRSS:   123456 kB"), as a number; -1 when absent. */
    static long statusKiB(String status, String field) {
        Matcher m = Pattern.compile("^" + field + ":\\s+(\\d+)", Pattern.MULTILINE).matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String readStatus(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status (the process ended?): " + e.getMessage(), e);
        }
    }

    private static String jcmd(long pid, String command) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        ProcessRunner.Result r = ProcessRunner.tryRun(List.of(jcmd, Long.toString(pid), command), JCMD_TIMEOUT);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed (exit " + r.exitCode() + "): "
                    + r.stdout().strip() + " " + r.stderr().strip());
        }
        return r.stdout();
    }
}
