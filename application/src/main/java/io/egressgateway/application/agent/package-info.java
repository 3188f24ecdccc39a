/**
 * The agent's loop: snapshot, plan, observe, diff, apply, report; coalesced on events, repeated on a
 * resync timer to repair drift; the heartbeat and fencing beside it.
 */
package io.egressgateway.application.agent;
