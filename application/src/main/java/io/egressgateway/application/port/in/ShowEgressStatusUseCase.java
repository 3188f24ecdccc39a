package io.egressgateway.application.port.in;


/** {@code ctl status}: every gateway, policy and node in one view. */
public interface ShowEgressStatusUseCase {
    EgressStatusView status();
}
