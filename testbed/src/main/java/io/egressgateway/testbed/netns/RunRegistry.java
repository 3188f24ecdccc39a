package io.egressgateway.testbed.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who owns which testbed namespaces. Every run records {@code <dir>/<prefix>.owner} ("pid starttime")
 * before it creates a namespace, and removes it after its teardown; a record whose process is gone
 * (or whose PID was reused: the start time differs) marks a crashed run, whose namespaces the next
 * run removes, with the processes it started ({@code <prefix>.children}). Namespaces without a record are never touched: other test suites use the same
 * {@code egw-} prefix. The sandbox also takes an exclusive lock, so a second sandbox refuses to start.
 */
public final class RunRegistry {
    public static final Path DEFAULT_DIR = Path.of("/run/egressgateway-testbed");
    private static final Logger LOG = LoggerFactory.getLogger(RunRegistry.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Path dir;

    public RunRegistry(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code egw-<6 random [a-z0-9]>-}, unused by any recorded run. */
    public String newPrefix() {
        SecureRandom r = new SecureRandom();
        while (true) {
            StringBuilder b = new StringBuilder("egw-");
            for (int i = 0; i < 6; i++) {
                b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
            String prefix = b.append('-').toString();
            if (!Files.exists(ownerFile(prefix))) {
                return prefix;
            }
        }
    }

    /** Records this process as the owner of {@code prefix}. */
    public void claim(String prefix) {
        write(ownerFile(prefix), self());
    }

    /**
     * Records a process started by the run of {@code prefix} in the root namespace (an agent), so that
     * it is killed with the run's leftovers if the run crashes: it is in no namespace of the run.
     */
    public void recordChild(String prefix, long pid) {
        Optional<String> start = startTime(pid);
        if (start.isEmpty()) {
            return;
        }
        try {
            Files.writeString(childrenFile(prefix), pid + " " + start.get() + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + childrenFile(prefix) + ": " + e.getMessage(), e);
        }
    }

    /** Whether the run of {@code prefix} has a live owner (its containers, if any, must be left alone). */
    public boolean isLive(String prefix) {
        Path owner = ownerFile(prefix);
        return Files.isRegularFile(owner) && isAlive(read(owner));
    }

    /** Drops the record of {@code prefix}; call after its namespaces are gone. */
    public void release(String prefix) {
        try {
            Files.deleteIfExists(childrenFile(prefix));
            Files.deleteIfExists(ownerFile(prefix));
        } catch (IOException e) {
            LOG.warn("testbed: cannot remove owner record prefix={}: {}", prefix, e.getMessage());
        }
    }

    /**
     * Removes the namespaces (and the processes in them) of every recorded run whose owner is dead.
     * Returns the namespaces removed.
     */
    public List<String> removeLeftovers() {
        List<String> removed = new ArrayList<>();
        List<String> namespaces = Netns.list();
        for (Path record : records()) {
            String prefix = record.getFileName().toString().replace(".owner", "");
            if (isAlive(read(record))) {
                continue;
            }
            for (String child : read(childrenFile(prefix)).split("\n")) {
                if (isAlive(child)) {
                    long pid = Long.parseLong(child.trim().split("\\s+")[0]);
                    LOG.info("testbed: killing pid={} started by crashed run prefix={}", pid, prefix);
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            for (String ns : namespaces) {
                if (ns.startsWith(prefix)) {
                    Netns.delete(ns);
                    removed.add(ns);
                }
            }
            deleteTree(runDir(prefix));
            LOG.info("testbed: removed leftovers of a crashed run prefix={} namespaces={}", prefix, removed.size());
            release(prefix);
        }
        return removed;
    }

    /** An exclusive lock for the sandbox; empty when another live process holds it (its PID in the message). */
    public Optional<AutoCloseable> tryExclusive(String what) {
        Path lockFile = dir.resolve(what + ".lock");
        try {
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                return Optional.empty();
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(self().getBytes(StandardCharsets.US_ASCII)));
            FileLock held = lock;
            return Optional.of(() -> {
                held.release();
                ch.close();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    /** The PID written in the lock file of {@code what}, for the refusal message. */
    public String holderOf(String what) {
        try {
            return Files.readString(dir.resolve(what + ".lock")).split(" ")[0].trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private List<Path> records() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".owner")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Where the run of {@code prefix} keeps its kubeconfig and process logs. */
    public Path runDir(String prefix) {
        return dir.resolve(prefix.endsWith("-") ? prefix.substring(0, prefix.length() - 1) : prefix);
    }

    /** Removes {@code path} and everything under it; a missing path is fine. */
    public static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("testbed: cannot remove {}: {}", path, e.getMessage());
        }
    }

    private Path childrenFile(String prefix) {
        return dir.resolve(prefix + ".children");
    }

    private Path ownerFile(String prefix) {
        return dir.resolve(prefix + ".owner");
    }

    static String self() {
        long pid = ProcessHandle.current().pid();
        return pid + " " + startTime(pid).orElse("0");
    }

    /** Alive when the PID exists and started at the recorded time (PIDs are reused). */
    static boolean isAlive(String record) {
        String[] f = record.trim().split("\\s+");
        if (f.length < 2) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            return false;
        }
        return startTime(pid).map(t -> t.equals(f[1])).orElse(false);
    }

    /** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. */
    private static Optional<String> startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(rest[19]);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static void write(Path p, String content) {
        try {
            Files.writeString(p, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }
}
