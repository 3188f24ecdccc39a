/**
 * Inbound ports ({@code <Verb><Noun>UseCase}) and the plain values they take and return: what the
 * adapters call into. The values know nothing of JSON or HTTP; adapters map their wire formats to them.
 */
package io.egressgateway.application.port.in;
