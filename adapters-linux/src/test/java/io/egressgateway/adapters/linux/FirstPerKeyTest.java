package io.egressgateway.adapters.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.datapath.DatapathObject;
import io.egressgateway.domain.datapath.RouteRule;
import io.egressgateway.domain.net.Family;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstPerKeyTest {
    @Test
    void twoKernelObjectsWithOneKeyDoNotBreakObservation() {
        RouteRule a = new RouteRule(Family.IPV4, 99, 0x26000001L, 0xffffffffL, 0x26000001L);
        RouteRule b = new RouteRule(Family.IPV4, 99, 0x26000001L, 0xffffffffL, 100);
        RouteRule c = new RouteRule(Family.IPV6, 99, 0x26000001L, 0xffffffffL, 100);
        List<DatapathObject> kept = LinuxObserveDatapathAdapter.firstPerKey(List.of(a, b, c));
        assertThat(kept).containsExactly(a, c);
    }
}
