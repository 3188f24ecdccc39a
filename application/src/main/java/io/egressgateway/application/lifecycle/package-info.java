/** How a role's long-running parts are started and stopped. */
package io.egressgateway.application.lifecycle;
