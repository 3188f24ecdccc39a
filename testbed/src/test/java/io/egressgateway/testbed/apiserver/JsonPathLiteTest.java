package io.egressgateway.testbed.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPathLiteTest {
    private static final String NODE = "{\"metadata\":{\"name\":\"n1\",\"labels\":{\"kubernetes.io/os\":\"linux\"}},"
            + "\"spec\":{\"podCIDRs\":[\"10.244.1.0/24\",\"fd00::/64\"]},"
            + "\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"address\":\"n1\"},"
            + "{\"type\":\"InternalIP\",\"address\":\"192.0.2.11\"}],\"eip\":{\"ipv4\":\"192.0.2.200\"}}}";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        ".metadata.name                                        | n1",
        "{.metadata.name}                                      | n1",
        ".spec.podCIDRs[0]                                     | 10.244.1.0/24",
        ".spec.podCIDRs[-1]                                    | fd00::/64",
        ".spec.podCIDRs[*]                                     | 10.244.1.0/24,fd00::/64",
        ".status.addresses[?(@.type==\"InternalIP\")].address  | 192.0.2.11",
        ".status.addresses[*].type                             | Hostname,InternalIP",
        ".status.eip.ipv4                                      | 192.0.2.200",
        ".metadata.labels.kubernetes\\.io/os                   | linux",
        ".status.missing                                       | ''",
        ".status.eip                                           | {\"ipv4\":\"192.0.2.200\"}"
    })
    void evaluatesWhatPrinterColumnsUse(String path, String expected) {
        assertThat(JsonPathLite.eval(Json.parse(NODE), path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource({"5, 5s", "119, 119s", "190, 3m10s", "1500, 25m", "18180, 5h3m", "72000, 20h", "273600, 3d4h",
        "3456000, 40d"})
    void printsAgesLikeKubectl(long seconds, String expected) {
        assertThat(TableConverter.human(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }
}
