/**
 * Moving an EIP by hand ({@code egressgateway ctl move-eip}): the request as written in the gateway's
 * annotation, whether a node may take the EIP, and the acknowledgement the controller writes. The
 * same rules serve the command's pre-check, the admission webhook and the controller.
 */
package io.egressgateway.domain.move;
