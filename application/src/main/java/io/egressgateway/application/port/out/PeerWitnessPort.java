package io.egressgateway.application.port.out;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The agents' question to each other over the node network: "do you reach the API server right
 * now?". An agent whose own Lease renewals fail asks its peers before it fences: if one of them
 * reaches the API server, this node alone is cut off and the controller may move its EIPs (fence); if
 * every peer that answers is cut off too, the API server itself is down, nobody can move anything,
 * and withdrawing the EIPs would only cost traffic (hold).
 */
public interface PeerWitnessPort extends AutoCloseable {
    /** What one round of questions found. */
    record Answers(int asked, int answered, int reachingApiServer) {
    }

    /** The key shared by the agents (Secret egressgateway-witness-key); nothing is asked or answered before. */
    void useKey(byte[] key);

    /** Starts answering peers' questions with {@code reachesApiServer} (evaluated per question, at most every few hundred ms). */
    void serve(BooleanSupplier reachesApiServer);

    /** Asks {@code peers} (node addresses) once and collects the answers that arrive within {@code timeout}. */
    Answers ask(List<String> peers, Duration timeout);

    @Override
    void close();
}
