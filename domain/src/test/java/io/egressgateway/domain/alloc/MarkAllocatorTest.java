package io.egressgateway.domain.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.Marks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkAllocatorTest {

    @Test
    void defaultSchemeHas8191MarksBits16To23First() {
        MarkAllocator m = MarkAllocator.defaults();
        assertThat(m.idBits()).isEqualTo(0x00ff200fL);
        assertThat(m.capacity()).isEqualTo(8191);
        // the first 255 are the marks of the former 0x0000ffff default: an upgrade moves nothing
        assertThat(Marks.hex(m.markOf(1))).isEqualTo("0x26010000");
        assertThat(Marks.hex(m.markOf(255))).isEqualTo("0x26ff0000");
        assertThat(Marks.hex(m.markOf(256))).isEqualTo("0x26000001");
        assertThat(Marks.hex(m.markOf(4096))).isEqualTo("0x26002000");
        assertThat(Marks.hex(m.markOf(8191))).isEqualTo("0x26ff200f");
        for (long id = 1; id <= m.capacity(); id++) {
            assertThat(m.markOf(id) & (0x0000c000L | 0x00000f00L | 0x00001000L | 0x00000080L)).isZero();
        }
    }

    @Test
    void fiveThousandNodesEachGetTheirOwnMark() {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            keys.add(MarkAllocator.nodeKey("node" + i));
        }
        Allocation<Long> a = MarkAllocator.defaults().allocate(keys, Map.of());
        assertThat(a.assigned()).hasSize(5000);
        assertThat(new java.util.HashSet<>(a.assigned().values())).hasSize(5000);
        assertThat(a.exhausted()).isEmpty();
    }

    @Test
    void lowestFreeIdFirstAndExistingMarksKept() {
        MarkAllocator m = MarkAllocator.defaults();
        Allocation<Long> a = m.allocate(List.of("node/a", "node/b", "node/c"), Map.of("node/b", 0x26010000L));
        assertThat(MarkAllocator.hex(a)).containsExactly(Map.entry("node/a", "0x26020000"),
                Map.entry("node/b", "0x26010000"), Map.entry("node/c", "0x26030000"));
    }

    @Test
    void marksAtOrAbove0x80000000WorkAndPrintUnsigned() {
        MarkAllocator m = MarkAllocator.of(0x80000000L, 0xf0000000L, 0x0000ffffL).orElseThrow();
        assertThat(m.capacity()).isEqualTo(4095);
        Allocation<Long> a = m.allocate(List.of("x", "y"), Map.of("y", 0x80010000L));
        assertThat(a.assigned()).containsEntry("y", 0x80010000L).containsEntry("x", 0x80020000L);
        assertThat(Marks.hex(m.markOf(4095))).isEqualTo("0x8fff0000");
        assertThat(m.idOf(0x8fff0000L)).contains(4095L);
    }

    @Test
    void idBitsSkipTheReservedMaskWhereverItIs() {
        // reserve kube-proxy's 0x4000/0x8000, AWS 0x80 and Cilium 0x0f00 only: ids use the other low bits
        MarkAllocator m = MarkAllocator.of(0x26000000L, 0xff000000L, 0x0000cf80L).orElseThrow();
        for (long id = 1; id <= 300; id++) {
            long mark = m.markOf(id);
            assertThat(mark & 0x0000cf80L).isZero();
            assertThat(mark & 0xff000000L).isEqualTo(0x26000000L);
            assertThat(m.idOf(mark)).contains(id);
        }
        assertThat(Marks.hex(m.markOf(0x80))).isEqualTo("0x26800000");
        assertThat(Marks.hex(m.markOf(0x100))).isEqualTo("0x26000001");
        assertThat(Marks.hex(m.markOf(1 << 15))).isEqualTo("0x26001000");
    }

    @ParameterizedTest(name = "claim {0} is replaced")
    @CsvSource({"0x27010000", "0x26000000", "0x26010010", "0x26000100"})
    void claimsOutsideTheSchemeAreReplaced(String claim) {
        Allocation<Long> a = MarkAllocator.defaults().allocate(List.of("n"), Map.of("n", Marks.parse(claim)));
        assertThat(a.assigned()).containsEntry("n", 0x26010000L);
        assertThat(a.invalid()).hasSize(1);
    }

    @ParameterizedTest(name = "scheme base={0} mask={1} reserved={2} is rejected: {3}")
    @CsvSource(delimiter = '|', value = {
            "0x26000000|0x00ff0000|0x0|sets base bits outside the mask",
            "0x00000000|0xff000000|0x0|has base 0",
            "0x26000000|0xff000000|0x00ffffff|leaves no id bits",
    })
    void badSchemes(String base, String mask, String reserved, String why) {
        assertThat(MarkAllocator.of(Marks.parse(base), Marks.parse(mask), Marks.parse(reserved)).message()).contains(why);
    }

    @Test
    void gatewaysAndNodesShareOneSpace() {
        MarkAllocator m = MarkAllocator.defaults();
        Allocation<Long> a = m.allocate(List.of(MarkAllocator.nodeKey("n1"), MarkAllocator.gatewayKey("g1")),
                Map.of(MarkAllocator.nodeKey("n1"), 0x26010000L, MarkAllocator.gatewayKey("g1"), 0x26010000L));
        assertThat(a.assigned()).containsEntry("gateway/g1", 0x26010000L).containsEntry("node/n1", 0x26020000L);
        assertThat(a.conflicts()).singleElement().satisfies(c -> assertThat(c.keeper()).isEqualTo("gateway/g1"));
    }
}
