/** The real roles on the testbed: the controller and one agent per node as processes, and what proves they work. */
package io.egressgateway.testbed.cluster;
