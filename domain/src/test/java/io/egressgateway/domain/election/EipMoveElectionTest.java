package io.egressgateway.domain.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.move.EipMoveRequest;
import io.egressgateway.domain.net.IpAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EipMoveElectionTest {
    private Fixture placed() {
        Fixture f = new Fixture(List.of("10.6.1.50-10.6.1.59"), List.of(), "n1", "n2");
        f.policy("shop", EgressIpMode.EgressIP, AllocatorPolicy.RR);
        f.elect();
        eip = f.policies.get("shop").status().eipV4();
        return f;
    }

    private static String nodeOf(Fixture f) {
        return f.policies.get("shop").status().node();
    }

    private static Condition move(ElectionResult r) {
        return r.status().conditions().stream().filter(c -> c.type().equals(EipMoveRequest.CONDITION)).findFirst()
                .orElseThrow();
    }

    private EipMoveRequest request(String node, String id) {
        return EipMoveRequest.of(IpAddress.parse(eip).orElseThrow(), node, id);
    }

    private String eip;

    @Test
    void aMoveReleasesTheEipFirstAndPlacesItOnTheNodeOnlyAfterTheSettleTime() {
        Fixture f = placed();
        String from = nodeOf(f);
        String to = from.equals("n1") ? "n2" : "n1";
        f.move = request(to, "a");

        ElectionResult released = f.elect();
        assertThat(move(released).reason()).isEqualTo("Releasing");
        assertThat(Fixture.eipsByNode(released)).as("on no node while the old one stops answering").isEmpty();
        assertThat(released.policies().get("shop").node()).isNull();
        assertThat(released.policies().get("shop").condition("NoGatewayNode").orElseThrow().reason()).isEqualTo("EIPMoving");

        f.now = f.now.plus(Duration.ofSeconds(3));
        assertThat(Fixture.eipsByNode(f.elect())).as("still released within the settle time").isEmpty();

        f.now = Fixture.T0.plus(Duration.ofSeconds(6));
        ElectionResult moved = f.elect();
        assertThat(move(moved).reason()).isEqualTo("Moved");
        assertThat(move(moved).message()).startsWith("request " + eip + "=" + to + "@a: ");
        assertThat(Fixture.eipsByNode(moved)).containsOnlyKeys(to);
        assertThat(nodeOf(f)).isEqualTo(to);

        f.now = f.now.plus(Duration.ofMinutes(1));
        ElectionResult again = f.elect();
        assertThat(again.status()).as("an acknowledged request changes nothing more").isEqualTo(moved.status());
    }

    @Test
    void aRequestForTheNodeAlreadyCarryingTheEipIsAcknowledgedAtOnce() {
        Fixture f = placed();
        f.move = request(nodeOf(f), "b");
        ElectionResult r = f.elect();
        assertThat(move(r).reason()).isEqualTo("Moved");
        assertThat(move(r).message()).contains("already on node " + nodeOf(f));
    }

    @Test
    void aNodeThatIsNotReadyOrUnprovenOrNotSelectedIsRefusedAndNothingMoves() {
        Fixture f = placed();
        String from = nodeOf(f);
        String to = from.equals("n1") ? "n2" : "n1";
        f.nodeReady.put(to, false);
        f.move = request(to, "c");
        ElectionResult r = f.elect();
        assertThat(move(r).reason()).isEqualTo("Refused");
        assertThat(move(r).message()).contains("node " + to + " is NotReady");
        assertThat(nodeOf(f)).isEqualTo(from);

        f.nodeReady.put(to, true);
        f.unproven.add(to);
        f.move = request(to, "d");
        assertThat(move(f.elect()).message()).contains("has not renewed its heartbeat");

        f.otherNodes.add("worker");
        f.move = request("worker", "e");
        assertThat(move(f.elect()).message()).contains("node worker is not a node of gateway gw");
        assertThat(nodeOf(f)).isEqualTo(from);
    }

    @Test
    void aTargetLostWhileReleasingStopsTheMoveAndTheEipIsPlacedAsInAFailover() {
        Fixture f = placed();
        String from = nodeOf(f);
        String to = from.equals("n1") ? "n2" : "n1";
        f.move = request(to, "f");
        f.elect();
        f.nodeReady.put(to, false);
        ElectionResult r = f.elect();
        assertThat(move(r).reason()).isEqualTo("Refused");
        assertThat(move(r).message()).contains("stopped while releasing");
        assertThat(Fixture.eipsByNode(r)).containsOnlyKeys(from);
    }

    @Test
    void anUnknownEipIsRefused() {
        Fixture f = placed();
        f.move = EipMoveRequest.of(IpAddress.parse("10.6.1.99").orElseThrow(), "n1", "g");
        assertThat(move(f.elect()).message()).contains("EIP 10.6.1.99 is used by no policy of gateway gw");
    }
}
