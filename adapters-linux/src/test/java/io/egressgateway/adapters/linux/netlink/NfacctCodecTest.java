package io.egressgateway.adapters.linux.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NfacctCodecTest {

    @Test
    void aCreateIsAnExclusiveNewOfTheAcctSubsystemWithTheName() {
        byte[] wire = NfacctCodec.create("egw-s-0123456789abcdef").build(7);
        NlMessage m = NlMessage.split(wire, wire.length).get(0);
        assertThat(m.type()).isEqualTo(7 << 8);
        assertThat(m.flags()).isEqualTo(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL);
        assertThat(m.attrs(4).string(1)).contains("egw-s-0123456789abcdef");
    }

    @Test
    void aDeleteAlwaysNamesItsObject() {
        byte[] wire = NfacctCodec.delete("egw-e-0123456789abcdef").build(1);
        NlMessage m = NlMessage.split(wire, wire.length).get(0);
        assertThat(m.type()).isEqualTo((7 << 8) | 3);
        assertThat(m.attrs(4).string(1)).contains("egw-e-0123456789abcdef");
        // without a name the kernel would delete every unused object, other software's too
        assertThatThrownBy(() -> NfacctCodec.delete("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NfacctCodec.create("x".repeat(32))).hasMessageContaining("1..31");
    }

    @Test
    void aDumpAnswerGivesTheNameAndTheBigEndianCounters() {
        byte[] pkts = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(1234).array();
        byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(5_000_000_000L).array();
        byte[] wire = new NlMsg(7 << 8, Rtnl.NLM_F_MULTI).u8(0).u8(0).u16(0).attrString(1, "egw-s-x")
                .attr(2, pkts).attr(3, bytes).build(9);
        NlMessage m = NlMessage.split(wire, wire.length).get(0);
        assertThat(NfacctCodec.parse(m)).contains(new NfacctCodec.Counter("egw-s-x", 1234, 5_000_000_000L));
    }

    @Test
    void anythingElseIsNotACounter() {
        byte[] wire = new NlMsg(Rtnl.NLMSG_DONE, 0).u32(0).build(1);
        assertThat(NfacctCodec.parse(NlMessage.split(wire, wire.length).get(0))).isEmpty();
    }
}
