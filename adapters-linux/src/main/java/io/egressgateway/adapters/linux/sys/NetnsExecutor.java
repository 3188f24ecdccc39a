package io.egressgateway.adapters.linux.sys;

import com.sun.jna.LastErrorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One dedicated thread that lives in a network namespace. A network namespace belongs to a thread,
 * not to the JVM: the thread enters {@code /var/run/netns/<name>} with {@code setns} once, then
 * runs every task submitted to it. Everything done from that thread acts in the namespace: netlink
 * and packet sockets it creates, {@code /proc/sys/net} reads and writes, and child processes
 * (iptables-restore, ipset), which the JDK forks from the calling thread and which therefore inherit
 * its namespace. With no namespace the thread simply stays in the JVM's own one.
 *
 * <p>Never read {@code /sys/class/net} from here: sysfs shows the namespace it was mounted in.
 */
public final class NetnsExecutor implements AutoCloseable {
    private final Optional<String> netns;
    private final ExecutorService thread;
    private volatile Thread worker;

    private NetnsExecutor(Optional<String> netns, String threadName) {
        this.netns = netns;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            worker = t;
            return t;
        });
    }

    /**
     * Starts the thread and enters the namespace; fails at once, naming the namespace, when it does
     * not exist or cannot be entered, so that no task ever runs in the wrong namespace.
     */
    public static NetnsExecutor open(Optional<String> netns, String threadName) {
        NetnsExecutor executor = new NetnsExecutor(netns, threadName);
        try {
            executor.call(() -> {
                netns.ifPresent(NetnsExecutor::enter);
                return null;
            });
        } catch (RuntimeException e) {
            executor.close();
            throw e;
        }
        return executor;
    }

    /** The same namespace, on a new thread of its own (for work that must not block this one). */
    public NetnsExecutor sibling(String siblingName) {
        return open(netns, siblingName);
    }

    public Optional<String> netns() {
        return netns;
    }

    /** Runs {@code task} on the namespace thread and waits for it; its exception is rethrown as is. */
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == worker) {
            // re-entrant call from a task: already in the namespace, and waiting would deadlock
            return callHere(task);
        }
        Future<T> f = thread.submit(task);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new IllegalStateException("interrupted while waiting for the thread of " + describe(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Runs {@code task} on the namespace thread without waiting. */
    public CompletableFuture<Void> submit(Runnable task) {
        return CompletableFuture.runAsync(task, thread);
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    public String describe() {
        return netns.map(n -> "network namespace " + n).orElse("the current network namespace");
    }

    private static <T> T callHere(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void enter(String name) {
        Path path = Path.of("/var/run/netns", name);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("network namespace " + name + " does not exist (no " + path + ")");
        }
        int fd;
        try {
            fd = LibC.INSTANCE.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot open " + path + ": " + LibC.describe(e.getErrorCode()), e);
        }
        try {
            LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot enter network namespace " + name + " (setns): "
                    + LibC.describe(e.getErrorCode()) + "; the agent needs CAP_SYS_ADMIN for this", e);
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }
}
