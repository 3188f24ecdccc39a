/** Typesafe Config to {@link io.egressgateway.application.config.Settings}: the only reader of configuration. */
package io.egressgateway.bootstrap.config;
