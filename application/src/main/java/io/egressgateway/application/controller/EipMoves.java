package io.egressgateway.application.controller;

import io.egressgateway.domain.move.EipMoveRequest;
import io.egressgateway.domain.net.Parsed;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a gateway's EIP move annotation for the election. One that does not parse (admission was
 * bypassed) is ignored and logged once per text: the election goes on as without it.
 */
final class EipMoves {
    private static final Logger LOG = LoggerFactory.getLogger(EipMoves.class);
    private static final Map<String, Boolean> WARNED = new ConcurrentHashMap<>();

    private EipMoves() {
    }

    static EipMoveRequest request(String gateway, Map<String, String> requests) {
        String text = requests.get(gateway);
        if (text == null) {
            return null;
        }
        Parsed<EipMoveRequest> r = EipMoveRequest.parse(text);
        if (r.isOk()) {
            return r.orElseThrow();
        }
        if (WARNED.size() < 1024 && WARNED.putIfAbsent(gateway + "\n" + text, Boolean.TRUE) == null) {
            LOG.warn("gateway={} annotation {} ignored: {}", gateway, EipMoveRequest.ANNOTATION, r.message());
        }
        return null;
    }
}
