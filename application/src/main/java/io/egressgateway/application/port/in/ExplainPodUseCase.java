package io.egressgateway.application.port.in;

import io.egressgateway.domain.net.IpAddress;
import java.util.Optional;

/** {@code ctl explain pod NS/NAME [--to IP[:PORT]]}: which policy, gateway, EIP and node, and every "no". */
public interface ExplainPodUseCase {
    /** Empty when the pod does not exist. */
    Optional<PodExplanation> explain(String namespace, String pod, Optional<Destination> to);

    /** A destination; policies match on addresses only, the port is carried for the output. */
    record Destination(IpAddress ip, Integer port) {
        public String text() {
            return port == null ? ip.text() : (ip.isV4() ? ip.text() : "[" + ip.text() + "]") + ":" + port;
        }
    }
}
