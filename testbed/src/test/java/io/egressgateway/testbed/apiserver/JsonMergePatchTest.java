package io.egressgateway.testbed.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonMergePatchTest {

    /** The examples of RFC 7386, appendix A, plus the list case kubectl apply depends on. */
    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\":\"b\"}                 | {\"a\":\"c\"}                 | {\"a\":\"c\"}",
        "{\"a\":\"b\"}                 | {\"b\":\"c\"}                 | {\"a\":\"b\",\"b\":\"c\"}",
        "{\"a\":\"b\"}                 | {\"a\":null}                  | {}",
        "{\"a\":\"b\",\"b\":\"c\"}     | {\"a\":null}                  | {\"b\":\"c\"}",
        "{\"a\":[\"b\"]}               | {\"a\":\"c\"}                 | {\"a\":\"c\"}",
        "{\"a\":\"c\"}                 | {\"a\":[\"b\"]}               | {\"a\":[\"b\"]}",
        "{\"a\":{\"b\":\"c\"}}         | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
        "{\"a\":[{\"b\":\"c\"}]}       | {\"a\":[1]}                   | {\"a\":[1]}",
        "[\"a\",\"b\"]                 | [\"c\",\"d\"]                 | [\"c\",\"d\"]",
        "{\"a\":\"b\"}                 | [\"c\"]                       | [\"c\"]",
        "{\"a\":\"foo\"}               | null                          | null",
        "{\"a\":\"foo\"}               | \"bar\"                       | \"bar\"",
        "{\"e\":null}                  | {\"a\":1}                     | {\"e\":null,\"a\":1}",
        "[1,2]                         | {\"a\":\"b\",\"c\":null}      | {\"a\":\"b\"}",
        "{}                            | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}",
        "{\"spec\":{\"l\":[1,2,3],\"k\":1}} | {\"spec\":{\"l\":[9]}}   | {\"spec\":{\"l\":[9],\"k\":1}}"
    })
    void followsRfc7386(String target, String patch, String expected) {
        assertThat(JsonMergePatch.apply(Json.parse(target), Json.parse(patch))).isEqualTo(Json.parse(expected));
    }

    @ParameterizedTest(name = "target {0} is not modified")
    @CsvSource(delimiter = '|', value = {"{\"a\":{\"b\":1}} | {\"a\":{\"b\":null}}"})
    void leavesTheTargetAlone(String target, String patch) {
        var t = Json.parse(target);
        JsonMergePatch.apply(t, Json.parse(patch));
        assertThat(t).isEqualTo(Json.parse(target));
    }
}
