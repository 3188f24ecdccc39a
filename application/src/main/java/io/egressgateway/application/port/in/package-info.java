/** Inbound ports ({@code <Verb><Noun>UseCase}): what the adapters and the bootstrap may ask of the application. */
package io.egressgateway.application.port.in;
