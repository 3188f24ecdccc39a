package io.egressgateway.testbed.netns;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a piece of code on a fresh thread that first entered a named network namespace with
 * {@code setns(2)}: a socket created there belongs to that namespace for its whole life, whichever
 * thread uses it later. The thread ends with the task, so no pooled thread is left in a foreign namespace.
 */
public final class NetnsThread {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private NetnsThread() {
    }

    /** Minimal libc binding: direct-mapped, as these calls are few and on test paths. */
    private static final class LibC {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int open(String path, int flags);

        static native int setns(int fd, int nstype);

        static native int close(int fd);
    }

    /** Runs {@code task} inside netns {@code name} and returns its result, or throws after {@code deadline}. */
    public static <T> T call(String name, Duration deadline, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                enter(name);
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "netns-" + name);
        t.setDaemon(true);
        t.start();
        try {
            return result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new TimeoutException("no answer within " + deadline + " in netns " + name);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Moves the calling thread into netns {@code name}; only for threads that end afterwards. */
    public static void enter(String name) {
        String path = "/run/netns/" + name;
        int fd = LibC.open(path, O_RDONLY_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("cannot open " + path + " (errno " + Native.getLastError() + ")");
        }
        try {
            if (LibC.setns(fd, CLONE_NEWNET) != 0) {
                throw new IllegalStateException("setns into " + name + " failed (errno " + Native.getLastError() + ")");
            }
        } finally {
            LibC.close(fd);
        }
    }
}
