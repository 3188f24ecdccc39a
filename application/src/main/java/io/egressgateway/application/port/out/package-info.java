/** Outbound ports ({@code <Verb><Noun>Port}): what the application needs from the kernel and the API server. */
package io.egressgateway.application.port.out;
