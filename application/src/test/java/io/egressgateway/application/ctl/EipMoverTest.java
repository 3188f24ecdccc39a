package io.egressgateway.application.ctl;

import io.egressgateway.application.port.in.EipMoveOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.in.EipMoveOutcome.Result;
import io.egressgateway.application.port.out.EgressState;
import io.egressgateway.application.port.out.ReadEgressStatePort;
import io.egressgateway.application.port.out.RequestEipMovePort;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.PodInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EipMoverTest {
    private final CtlWorld w = new CtlWorld();
    private final List<String> written = new ArrayList<>();
    /** What the controller answers once the request is written: null for nothing. */
    private String ackReason;

    private final ReadEgressStatePort read = new ReadEgressStatePort() {
        @Override
        public EgressState read() {
            EgressState s = w.state();
            if (written.isEmpty() || ackReason == null) {
                return s;
            }
            Gateway g = s.gateways().get(0);
            GatewayStatus st = g.status();
            Condition ack = new Condition("EIPMove", Condition.Status.True, ackReason,
                    "request " + written.get(0) + ": done by the fake controller", 1, CtlWorld.NOW);
            Gateway acked = new Gateway(g.name(), g.generation(), g.nodeSelector(), g.ippools(), g.clusterDefault(),
                    new GatewayStatus(st.observedGeneration(), st.forwardMethod(), st.nodeList(), st.ipUsage(), st.mark(),
                            List.of(ack)));
            return new EgressState(s.nodes(), s.egressNodes(), List.of(acked), s.policies(), s.clusterInfo(),
                    s.heartbeats(), Map.of(g.name(), written.get(0)));
        }

        @Override
        public Optional<PodInfo> pod(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Map<String, String> namespaceLabels(String namespace) {
            return Map.of();
        }
    };
    private final RequestEipMovePort write = (gateway, value) -> written.add(value);
    /** Every read of the clock is a second later, so a wait ends after a bounded number of polls. */
    private final Clock ticking = new Clock() {
        private Instant t = CtlWorld.NOW;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            t = t.plusSeconds(1);
            return t;
        }
    };
    private final EipMover mover = new EipMover(read, write, ticking, Duration.ofMillis(1));

    @Test
    void anIneligibleNodeIsRefusedBeforeAnythingIsWritten() {
        EipMoveOutcome o = mover.move("default", "192.0.2.200", "n1", Duration.ofSeconds(10));
        assertThat(o.result()).isEqualTo(Result.REFUSED);
        assertThat(o.message()).contains("node n1 is not a node of gateway default");
        assertThat(written).isEmpty();
        assertThat(mover.move("nosuch", "192.0.2.200", "n3", Duration.ofSeconds(10)).result()).isEqualTo(Result.NOT_FOUND);
        assertThat(mover.move("default", "192.0.2.201", "n3", Duration.ofSeconds(10)).result()).isEqualTo(Result.NOT_FOUND);
        assertThat(mover.move("default", "192.0.2.200", "n2", Duration.ofSeconds(10)).result()).isEqualTo(Result.MOVED);
        assertThat(written).isEmpty();
    }

    @Test
    void aRequestIsWrittenWithAnIdAndTheControllersAcknowledgementIsTheResult() {
        ackReason = "Moved";
        EipMoveOutcome o = mover.move("default", "192.0.2.200", "n3", Duration.ofSeconds(30));
        assertThat(written).singleElement().asString().startsWith("192.0.2.200=n3@");
        assertThat(o.result()).isEqualTo(Result.MOVED);
        assertThat(o.message()).isEqualTo("done by the fake controller");
    }

    @Test
    void aRefusalByTheControllerAndNoAnswerAreDistinct() {
        ackReason = "Refused";
        assertThat(mover.move("default", "192.0.2.200", "n3", Duration.ofSeconds(30)).result()).isEqualTo(Result.REFUSED);
        written.clear();
        ackReason = null;
        EipMoveOutcome o = mover.move("default", "192.0.2.200", "n3", Duration.ofSeconds(5));
        assertThat(o.result()).isEqualTo(Result.TIMED_OUT);
        assertThat(o.message()).contains("has not acknowledged request 192.0.2.200=n3@");
    }
}
