package io.egressgateway.application.port.in;

/**
 * Admission of a write to one of the project's custom resources: the validating and the mutating
 * webhook both call this, with {@link AdmissionRequest#phase()} telling which.
 *
 * <p>Contract: never throws for any request the adapter could decode (a bug is reported as a denial
 * by the adapter, never as an HTTP error); reports every violation it finds at once, each naming the
 * field and the offending value; is free of side effects, so the API server may call it again.
 */
public interface AdmitResourceUseCase {
    AdmissionDecision admit(AdmissionRequest request);
}
