package io.egressgateway.adapters.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one fabric8 client: its JDK HTTP client's executor (responses and watch streams
 * are handed to it) and its task executor (informers' event dispatch). fabric8's defaults are
 * cached pools whose idle threads live 60 s; the initial lists of an agent at 1,000 policies keep
 * 14 of them busy for a few seconds, and they then sat idle for a minute, ~1 MiB of touched stacks
 * and thread structures in a process whose memory every node pays (docs/benchmarks.md, "Issue 18:
 * the client's threads"). These pools are the same cached pools with idle threads ending after
 * {@link #KEEP_ALIVE}: a burst still gets as many threads as it needs, and a quiet agent keeps
 * none. Named daemon threads, so a thread dump says whose they are.
 */
final class ClientThreads {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

    private ClientThreads() {
    }

    /** A builder whose client uses short-lived pools for both; each client built gets its own. */
    static KubernetesClientBuilder builder() {
        return new KubernetesClientBuilder()
                .withHttpClientFactory(new HttpFactory())
                .withTaskExecutorSupplier(new KubernetesClientBuilder.ExecutorSupplier() {
                    @Override
                    public Executor get() {
                        return pool("egw-k8s-task-");
                    }

                    @Override
                    public void onClose(Executor executor) {
                        ((ExecutorService) executor).shutdownNow();
                    }
                });
    }

    /** A cached pool (no queue, threads on demand) whose idle threads end after {@link #KEEP_ALIVE}. */
    static ThreadPoolExecutor pool(String namePrefix) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, namePrefix + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * fabric8's JDK client factory with the HTTP client's executor replaced. One factory per
     * Kubernetes client: it shuts down the pools it made when that client closes (derived clients
     * share the root's HTTP client and its closed flag, so the first close is the last).
     */
    static final class HttpFactory extends JdkHttpClientFactory {
        private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();

        @Override
        protected HttpClient.Builder createNewHttpClientBuilder() {
            ThreadPoolExecutor pool = pool("egw-k8s-http-");
            pools.add(pool);
            return HttpClient.newBuilder().executor(pool);
        }

        @Override
        protected void closeHttpClient(JdkHttpClientImpl client) {
            super.closeHttpClient(client);
            pools.forEach(ExecutorService::shutdownNow);
        }
    }
}
