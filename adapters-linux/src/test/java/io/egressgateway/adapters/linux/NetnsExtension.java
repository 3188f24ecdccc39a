package io.egressgateway.adapters.linux;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The network namespaces of one test class, as a JUnit extension: skips the class unless it runs as
 * root, makes a {@link Netns} (per-run names) before its first test and removes every namespace it
 * made after its last. Use: {@code @RegisterExtension static final NetnsExtension netns = new NetnsExtension();}
 * then {@code netns.add("role")} in a test.
 */
final class NetnsExtension implements BeforeAllCallback, AfterAllCallback {
    private Netns netns;

    @Override
    public void beforeAll(ExtensionContext context) {
        Netns.assumeRoot();
        netns = new Netns();
    }

    /** A new namespace of this class's run (see {@link Netns#add}); its name. */
    String add(String role) {
        if (netns == null) {
            throw new IllegalStateException("no namespaces before the class's first test (register the extension static)");
        }
        return netns.add(role);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (netns != null) {
            netns.close();
            netns = null;
        }
    }
}
