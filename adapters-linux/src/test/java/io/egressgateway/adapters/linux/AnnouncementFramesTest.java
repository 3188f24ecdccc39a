package io.egressgateway.adapters.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.linux.netlink.InetText;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnouncementFramesTest {
    static final byte[] MAC = InetText.parseMac("02:65:67:00:00:02");

    @Test
    void gratuitousArpNamesTheEipAsSenderAndTarget() {
        byte[] ip = InetText.parse("192.0.2.200");
        byte[] f = AnnouncementFrames.gratuitousArp(MAC, ip, false);
        assertThat(f).hasSize(42);
        assertThat(Arrays.copyOfRange(f, 0, 6)).containsOnly((byte) 0xff);
        assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(MAC);
        assertThat(Arrays.copyOfRange(f, 12, 14)).containsExactly(0x08, 0x06);
        assertThat(Arrays.copyOfRange(f, 20, 22)).containsExactly(0, 1);
        assertThat(Arrays.copyOfRange(f, 22, 28)).isEqualTo(MAC);
        assertThat(Arrays.copyOfRange(f, 28, 32)).isEqualTo(ip);
        assertThat(Arrays.copyOfRange(f, 38, 42)).isEqualTo(ip);
        assertThat(AnnouncementFrames.gratuitousArp(MAC, ip, true)[21]).isEqualTo((byte) 2);
    }

    @Test
    void unsolicitedAdvertIsToAllNodesWithOverrideAndAValidChecksum() {
        byte[] ip = InetText.parse("2001:db8:1::200");
        byte[] f = AnnouncementFrames.unsolicitedAdvert(MAC, ip);
        assertThat(Arrays.copyOfRange(f, 0, 6)).containsExactly(0x33, 0x33, 0, 0, 0, 1);
        assertThat(f[14 + 7]).as("hop limit").isEqualTo((byte) 255);
        byte[] icmp = Arrays.copyOfRange(f, 54, f.length);
        assertThat(icmp[0]).isEqualTo((byte) 136);
        assertThat(icmp[4]).as("override flag, not solicited").isEqualTo((byte) 0x20);
        assertThat(Arrays.copyOfRange(icmp, 8, 24)).isEqualTo(ip);
        assertThat(Arrays.copyOfRange(icmp, 26, 32)).isEqualTo(MAC);
        // a correct checksum makes the checksum of the whole message (checksum included) zero
        assertThat(AnnouncementFrames.checksum(ip, InetText.parse("ff02::1"), icmp)).isZero();
    }
}
