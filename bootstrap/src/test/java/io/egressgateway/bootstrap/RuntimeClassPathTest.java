package io.egressgateway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.http.HttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The product's class path leaves out fabric8's Vert.x client and the model jars of API groups it
 * never uses (bootstrap/pom.xml, docs/benchmarks.md "the agent's class path"). A left-out jar must
 * not be one that a class the roles load needs when it is reflected on: this runs the reflection
 * that Jackson and fabric8 do (methods, fields, constructors) on every fabric8 client class that the
 * committed class lists say an agent or the controller loads, on this module's class path, which is
 * the product's.
 */
class RuntimeClassPathTest {
    private static List<String> fabric8ClientClasses() throws IOException {
        List<String> names = new ArrayList<>();
        for (String role : List.of("agent", "controller")) {
            try (Stream<String> lines = Files.lines(Path.of("src/main/cds", role + ".classlist"))) {
                lines.filter(l -> l.startsWith("io/fabric8/kubernetes/client/"))
                        .map(l -> l.split(" ")[0].replace('/', '.'))
                        .filter(n -> !n.contains("$$Lambda"))
                        .forEach(names::add);
            }
        }
        return names.stream().distinct().toList();
    }

    @Test
    void everyFabric8ClassTheRolesLoadCanBeReflectedOn() throws IOException {
        List<String> classes = fabric8ClientClasses();
        List<String> broken = new ArrayList<>();
        for (String name : classes) {
            try {
                Class<?> c = Class.forName(name, false, getClass().getClassLoader());
                c.getDeclaredMethods();
                c.getDeclaredFields();
                c.getDeclaredConstructors();
            } catch (ClassNotFoundException | LinkageError e) {
                broken.add(name + ": " + e);
            }
        }
        assertThat(classes).hasSizeGreaterThan(200);
        assertThat(broken).as("fabric8 classes that need a jar the class path leaves out").isEmpty();
    }

    @Test
    void theJdkHttpClientIsTheOnlyOne() {
        List<String> factories = ServiceLoader.load(HttpClient.Factory.class).stream()
                .map(p -> p.type().getName()).toList();
        assertThat(factories).containsExactly("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory");
        assertThatThrownBy(() -> Class.forName("io.vertx.core.Vertx")).isInstanceOf(ClassNotFoundException.class);
    }
}
