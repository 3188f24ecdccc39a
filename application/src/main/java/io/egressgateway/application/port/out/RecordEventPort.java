package io.egressgateway.application.port.out;

/**
 * Kubernetes Events about the custom resources, so that {@code kubectl describe} shows why an EIP
 * moved. Best effort: a failure is logged by the adapter and never fails a reconcile.
 */
public interface RecordEventPort {
    enum Type { Normal, Warning }

    /** {@code kind} is one of EgressGateway, EgressGatewayPolicy, EgressNode. */
    void record(String kind, String name, Type type, String reason, String message);
}
