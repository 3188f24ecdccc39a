package io.egressgateway.application.port.in;

import io.egressgateway.application.ctl.EgressStatusView;

/** {@code ctl status}: every gateway, policy and node in one view. */
public interface ShowEgressStatusUseCase {
    EgressStatusView status();
}
