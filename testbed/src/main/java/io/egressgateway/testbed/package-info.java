/** The testbed: nodes, pods and an external host as network namespaces, an embedded API server, the real roles. */
package io.egressgateway.testbed;
