package io.egressgateway.application.ctl;

import io.egressgateway.application.port.in.EipMoveOutcome;
import io.egressgateway.application.port.in.EipMoveOutcome.Result;
import io.egressgateway.application.port.in.MoveEipUseCase;
import io.egressgateway.application.port.out.EgressState;
import io.egressgateway.application.port.out.ReadEgressStatePort;
import io.egressgateway.application.port.out.RequestEipMovePort;
import io.egressgateway.domain.model.Condition;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.move.EipMoveRequest;
import io.egressgateway.domain.move.EipMoveRules;
import io.egressgateway.domain.net.IpAddress;
import io.egressgateway.domain.net.Parsed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Moves an EIP by request: checks on the current gateway status that the EIP is in use and the node
 * eligible ({@link EipMoveRules}, the rules admission and the controller apply too), writes the
 * annotation with a fresh request id, then polls the gateway's {@value EipMoveRequest#CONDITION}
 * condition until the controller acknowledges this request ({@code Moved} or {@code Refused}).
 */
public final class EipMover implements MoveEipUseCase {
    private final ReadEgressStatePort read;
    private final RequestEipMovePort write;
    private final Clock clock;
    private final Duration poll;

    public EipMover(ReadEgressStatePort read, RequestEipMovePort write, Clock clock, Duration poll) {
        this.read = read;
        this.write = write;
        this.clock = clock;
        this.poll = poll;
    }

    @Override
    public EipMoveOutcome move(String gateway, String eipText, String node, Duration wait) {
        Parsed<IpAddress> eip = IpAddress.parse(eipText);
        if (!eip.isOk()) {
            return new EipMoveOutcome(Result.NOT_FOUND, null, "EIP " + eip.message());
        }
        EgressState s = read.read();
        Optional<Gateway> gw = s.gateway(gateway);
        if (gw.isEmpty()) {
            return new EipMoveOutcome(Result.NOT_FOUND, null, "EgressGateway " + gateway + " not found");
        }
        EipMoveRules.Check check = EipMoveRules.check(gw.get(), eip.orElseThrow(), node, Set.of());
        switch (check.outcome()) {
            case EIP_NOT_FOUND:
                return new EipMoveOutcome(Result.NOT_FOUND, null, check.reason());
            case NODE_NOT_ELIGIBLE:
                return new EipMoveOutcome(Result.REFUSED, null, check.reason());
            case ALREADY_THERE:
                return new EipMoveOutcome(Result.MOVED, null, check.reason());
            default:
                break;
        }
        EipMoveRequest req = EipMoveRequest.of(eip.orElseThrow(), node, Long.toString(clock.millis(), 36));
        try {
            write.request(gateway, req.text());
        } catch (RequestEipMovePort.RefusedException e) {
            return new EipMoveOutcome(Result.REFUSED, req.text(), e.getMessage());
        }
        if (wait.isZero() || wait.isNegative()) {
            return new EipMoveOutcome(Result.REQUESTED, req.text(), "requested moving EIP " + eip.orElseThrow().text()
                    + " from node " + check.from() + " to node " + node);
        }
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            Optional<Condition> ack = read.read().gateway(gateway).flatMap(g -> g.status() == null ? Optional.empty()
                    : g.status().conditions().stream().filter(c -> c.type().equals(EipMoveRequest.CONDITION)
                            && c.message().startsWith(req.ackPrefix())).findFirst());
            if (ack.isPresent() && ack.get().reason().equals("Moved")) {
                return new EipMoveOutcome(Result.MOVED, req.text(), ack.get().message().substring(req.ackPrefix().length()));
            }
            if (ack.isPresent() && ack.get().reason().equals("Refused")) {
                return new EipMoveOutcome(Result.REFUSED, req.text(), ack.get().message().substring(req.ackPrefix().length()));
            }
            if (!clock.instant().isBefore(deadline)) {
                return new EipMoveOutcome(Result.TIMED_OUT, req.text(), "the controller has not acknowledged request "
                        + req.text() + " within " + wait.toMillis() + " ms" + ack.map(c -> " (last: " + c.reason() + ": "
                        + c.message() + ")").orElse("") + "; it may still act on it: see egressgateway ctl status");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new EipMoveOutcome(Result.TIMED_OUT, req.text(), "interrupted while waiting");
            }
        }
    }
}
