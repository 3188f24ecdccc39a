package io.egressgateway.domain.move;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EipMoveRequestTest {
    @ParameterizedTest(name = "{0} parses as eip {1}, node {2}, id ''{3}''")
    @CsvSource({
            "10.6.1.55=node2, 10.6.1.55, node2, ''",
            "10.6.1.55=node2@lq3x9a, 10.6.1.55, node2, lq3x9a",
            "fd00:6::10=gw-1.example@1, fd00:6::10, gw-1.example, 1"})
    void parses(String text, String eip, String node, String id) {
        EipMoveRequest r = EipMoveRequest.parse(text).orElseThrow();
        assertThat(r.eip().text()).isEqualTo(eip);
        assertThat(r.node()).isEqualTo(node);
        assertThat(r.id()).isEqualTo(id);
        assertThat(EipMoveRequest.of(r.eip(), r.node(), r.id()).text()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "node2|has no '<eip>=', expected <eip>=<node>[@<id>]",
            "10.6.1.555=node2|does not start with an IP address",
            "10.6.1.55=Node_2|names node 'Node_2', which is not a valid node name",
            "10.6.1.55=node2@a b|has request id 'a b'",
            "10.6.1.55=|names node '', which is not a valid node name"})
    void refuses(String text, String why) {
        var r = EipMoveRequest.parse(text);
        assertThat(r.isOk()).isFalse();
        assertThat(r.message()).contains(why);
    }
}
