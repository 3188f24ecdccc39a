package io.egressgateway.testbed.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EchoReplyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2001:db8:1:0:0:0:0:11, 2001:db8:1::11",
        "0:0:0:0:0:0:0:1, ::1",
        "fd00:10:244:1:0:0:0:a, fd00:10:244:1::a",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "192.0.2.11, 192.0.2.11"
    })
    void printsAddressesTheWayKubernetesAndIpDo(String in, String expected) throws Exception {
        assertThat(EchoReply.text(InetAddress.getByName(in))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @CsvSource({"garbage", "'1 2 3'"})
    void refusesAnswersThatAreNotAddressAndPort(String line) {
        assertThatThrownBy(() -> EchoReply.parse(line)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(line);
    }
}
