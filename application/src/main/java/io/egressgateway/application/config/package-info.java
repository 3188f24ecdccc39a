/** Typed, immutable settings of both roles; bound from configuration by the bootstrap module only. */
package io.egressgateway.application.config;
