package io.egressgateway.testbed.e2e;

import io.egressgateway.testbed.TestbedOptions;
import java.util.Map;

/**
 * The most common scene: one selected pod {@code shop-1} on worker node1 and the example gateway
 * and policy, whose IPv4 EIP is {@link #eip} once {@link #setUp()} ran.
 */
abstract class ShopPolicyE2E extends E2ESupport {
    /** The example policy's IPv4 EIP. */
    String eip;

    @Override
    TestbedOptions options() {
        return TestbedOptions.builder().pod("shop-1", 1, Map.of("app", "shopping")).build();
    }

    @Override
    void setUp() {
        eip = createExamplePolicy();
    }
}
