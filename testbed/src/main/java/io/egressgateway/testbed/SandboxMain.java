package io.egressgateway.testbed;

/** {@code egressgateway sandbox}: the whole cluster in network namespaces on this machine. */
public final class SandboxMain {
    private SandboxMain() {
    }

    public static void main(String[] args) {
        System.err.println("sandbox: not built yet (see issue 8); nothing was changed on this machine");
        System.exit(1);
    }
}
