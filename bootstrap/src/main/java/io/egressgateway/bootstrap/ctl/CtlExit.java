package io.egressgateway.bootstrap.ctl;

/** Exit codes of {@code egressgateway ctl}; docs/ctl.md lists them, scripts rely on them. */
final class CtlExit {
    /** Done: the pod leaves through its gateway; the status was printed; the EIP is on the node. */
    static final int OK = 0;
    /** The API server could not be reached or refused a read (kubeconfig, RBAC), or an internal error. */
    static final int API_ERROR = 1;
    /** Bad command line (picocli's usage error). */
    static final int USAGE = 2;
    /** The pod, gateway or EIP does not exist (or the EIP is used by no policy). */
    static final int NOT_FOUND = 3;
    /** explain: the pod's traffic (to the destination) does not leave through a gateway; findings say why. */
    static final int NOT_VIA_GATEWAY = 4;
    /** move-eip: refused (the node is not eligible), by this command, admission or the controller. */
    static final int REFUSED = 5;
    /** move-eip: requested, but the controller did not acknowledge it within --timeout. */
    static final int TIMED_OUT = 6;

    private CtlExit() {
    }
}
