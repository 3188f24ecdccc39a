/** The executable: flag parsing, configuration binding, one Guice module per role. Only this module imports Guice. */
package io.egressgateway.bootstrap;
