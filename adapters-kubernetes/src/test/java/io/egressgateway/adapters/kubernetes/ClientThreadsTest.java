package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The client's own pools: its work runs on them, idle threads end, and closing the client ends them all. */
@EnableKubernetesMockClient(crud = true)
class ClientThreadsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    KubernetesMockServer server;
    KubernetesClient client;

    private static List<String> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).toList();
    }

    /** Await.until with a deadline well under fabric8's 60 s keep-alive, so that its pools would fail. */
    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, DEADLINE, condition, () -> "threads " + threads("egw-"));
    }

    @Test
    void idleThreadsOfAPoolEndAfterTheKeepAliveAndABurstGetsAThreadPerTask() throws Exception {
        ThreadPoolExecutor pool = ClientThreads.pool("egw-test-pool-");
        CountDownLatch running = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            pool.execute(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        assertThat(running.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("three tasks at once").isTrue();
        assertThat(threads("egw-test-pool-")).hasSize(3);
        release.countDown();
        await("the idle threads end", () -> pool.getPoolSize() == 0);
        pool.shutdownNow();
    }

    @Test
    void aClientsResponsesAndInformerEventsRunOnItsOwnPoolsWhichEndWithIt() throws Exception {
        client.configMaps().inNamespace("default").resource(configMap("a")).create();
        KubernetesClient own = ClientThreads.builder().withConfig(client.getConfiguration()).build();
        CountDownLatch added = new CountDownLatch(1);
        String[] handledOn = new String[1];
        SharedIndexInformer<ConfigMap> informer = own.configMaps().inNamespace("default").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
                handledOn[0] = Thread.currentThread().getName();
                added.countDown();
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            }
        });

        assertThat(added.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the informer saw the ConfigMap").isTrue();
        assertThat(handledOn[0]).startsWith("egw-k8s-task-");
        assertThat(own.configMaps().inNamespace("default").withName("a").get()).isNotNull();
        assertThat(threads("egw-k8s-http-")).as("the HTTP client's executor is ours").isNotEmpty();

        informer.close();
        own.close();
        await("closing the client ends its threads",
                () -> threads("egw-k8s-http-").isEmpty() && threads("egw-k8s-task-").isEmpty());
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("k", "v").build();
    }
}
