package io.egressgateway.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.ForwardMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rendered datapath of the seed's example policy, compared with files a human has read.
 * {@code -Dgolden.update=true} rewrites the files; review the git diff before committing them.
 */
class GoldenDatapathTest {
    private static final Path DIR = Path.of("src/test/resources/golden");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "active-passive-gateway-v4,   gw1,    ACTIVE_PASSIVE, false",
        "active-passive-worker-v4,    worker, ACTIVE_PASSIVE, false",
        "active-active-gateway-v4,    gw1,    ACTIVE_ACTIVE,  false",
        "active-active-worker-v4,     worker, ACTIVE_ACTIVE,  false",
        "active-passive-gateway-dual, gw1,    ACTIVE_PASSIVE, true",
        "active-passive-worker-dual,  worker, ACTIVE_PASSIVE, true",
        "active-active-gateway-dual,  gw1,    ACTIVE_ACTIVE,  true",
        "active-active-worker-dual,   worker, ACTIVE_ACTIVE,  true",
    })
    void seedExample(String name, String node, ForwardMethod method, boolean dual) throws IOException {
        String rendered = DatapathPlanner.plan(Fixtures.seed(node, method, dual)).render();
        Path file = DIR.resolve(name + ".txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, rendered, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file %s (run with -Dgolden.update=true to create it)", file).exists();
        assertThat(rendered).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
