/**
 * Benchmarks on the testbed (spec: datapath.md, "Performance budget"): throughput through the
 * gateway against the direct path, the latency from a pod appearing to its first packet leaving with
 * the EIP, and the outage when a gateway fails. A harness that prints tables ({@link
 * io.egressgateway.testbed.bench.BenchMain}); timings are measured here and never asserted by tests.
 */
package io.egressgateway.testbed.bench;
