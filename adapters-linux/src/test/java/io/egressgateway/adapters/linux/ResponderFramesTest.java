package io.egressgateway.adapters.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.linux.netlink.InetText;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponderFramesTest {
    private static final byte[] OURS = InetText.parseMac("02:00:00:00:00:01");
    private static final byte[] ASKER = InetText.parseMac("02:00:00:00:00:02");
    private static final byte[] EIP = InetText.parse("192.0.2.200");
    private static final byte[] EIP6 = InetText.parse("2001:db8::200");

    private static byte[] arpRequest(byte[] sha, byte[] spa, byte[] tpa) {
        ByteBuffer b = ByteBuffer.allocate(60); // padded to the Ethernet minimum, as received
        b.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(sha).putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        b.put(sha).put(spa).put(new byte[6]).put(tpa);
        return b.array();
    }

    @Test
    void anArpRequestForAnEipGetsAReplyToTheAsker() {
        byte[] asker = InetText.parse("192.0.2.2");
        byte[] reply = ResponderFrames.arpReply(arpRequest(ASKER, asker, EIP), 60, OURS, List.of(EIP));
        assertThat(reply).hasSize(42);
        assertThat(Arrays.copyOfRange(reply, 0, 6)).isEqualTo(ASKER);
        assertThat(Arrays.copyOfRange(reply, 6, 12)).isEqualTo(OURS);
        assertThat(reply[21]).as("op reply").isEqualTo((byte) 2);
        assertThat(Arrays.copyOfRange(reply, 22, 28)).isEqualTo(OURS);
        assertThat(Arrays.copyOfRange(reply, 28, 32)).isEqualTo(EIP);
        assertThat(Arrays.copyOfRange(reply, 32, 38)).isEqualTo(ASKER);
        assertThat(Arrays.copyOfRange(reply, 38, 42)).isEqualTo(asker);
    }

    @Test
    void otherAddressesOurOwnFramesAndGratuitousOnesAreNotAnswered() {
        byte[] asker = InetText.parse("192.0.2.2");
        assertThat(ResponderFrames.arpReply(arpRequest(ASKER, asker, InetText.parse("192.0.2.201")), 60, OURS,
                List.of(EIP))).isNull();
        assertThat(ResponderFrames.arpReply(arpRequest(OURS, asker, EIP), 60, OURS, List.of(EIP))).isNull();
        assertThat(ResponderFrames.arpReply(arpRequest(ASKER, EIP, EIP), 60, OURS, List.of(EIP))).isNull();
        assertThat(ResponderFrames.arpReply(arpRequest(ASKER, asker, EIP), 30, OURS, List.of(EIP))).as("short").isNull();
    }

    private static byte[] solicitation(byte[] src, byte[] target) {
        byte[] dst = InetText.parse("ff02::1:ff00:200");
        ByteBuffer icmp = ByteBuffer.allocate(32);
        icmp.put((byte) 135).put((byte) 0).putShort((short) 0).putInt(0).put(target).put((byte) 1).put((byte) 1)
                .put(ASKER);
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 32);
        b.put(new byte[] {0x33, 0x33, -1, 0, 2, 0}).put(ASKER).putShort((short) 0x86dd);
        b.putInt(0x60000000).putShort((short) 32).put((byte) 58).put((byte) 255).put(src).put(dst).put(icmp.array());
        return b.array();
    }

    @Test
    void aSolicitationForAnEipGetsASolicitedAdvertisementWithAValidChecksum() {
        byte[] asker = InetText.parse("2001:db8::2");
        byte[] na = ResponderFrames.neighbourAdvert(solicitation(asker, EIP6), 86, OURS, List.of(EIP6));
        assertThat(Arrays.copyOfRange(na, 0, 6)).isEqualTo(ASKER);
        assertThat(Arrays.copyOfRange(na, 38, 54)).as("to the asker").isEqualTo(asker);
        assertThat(na[54] & 0xff).as("type NA").isEqualTo(136);
        assertThat(na[58] & 0xff).as("solicited and override").isEqualTo(0x60);
        assertThat(Arrays.copyOfRange(na, 62, 78)).isEqualTo(EIP6);
        assertThat(Arrays.copyOfRange(na, 80, 86)).isEqualTo(OURS);
        assertThat(AnnouncementFrames.checksum(Arrays.copyOfRange(na, 22, 38), asker, Arrays.copyOfRange(na, 54, 86)))
                .isZero();
    }

    @Test
    void duplicateAddressDetectionIsAnsweredToAllNodesAndOtherTargetsNotAtAll() {
        byte[] na = ResponderFrames.neighbourAdvert(solicitation(new byte[16], EIP6), 86, OURS, List.of(EIP6));
        assertThat(Arrays.copyOfRange(na, 38, 54)).isEqualTo(InetText.parse("ff02::1"));
        assertThat(na[58] & 0xff).as("override only").isEqualTo(0x20);
        assertThat(ResponderFrames.neighbourAdvert(solicitation(InetText.parse("2001:db8::2"),
                InetText.parse("2001:db8::201")), 86, OURS, List.of(EIP6))).isNull();
    }
}
