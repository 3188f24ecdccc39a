package io.egressgateway.adapters.kubernetes;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BooleanSupplier;

/**
 * Write ports of one controller term that refuse to write once the term ended. A pass that was
 * waiting for the API server when leadership was lost (an API server outage) would otherwise write,
 * once the server is back, what it decided while it could see nothing: every node silent, every EIP
 * moved. The next term starts with fresh caches and a grace period instead (docs/controller.md).
 */
final class TermGuard {
    private TermGuard() {
    }

    @SuppressWarnings("unchecked")
    static <T> T guard(Class<T> port, T delegate, BooleanSupplier active) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() != Object.class && !active.getAsBoolean()) {
                throw new IllegalStateException("this controller term ended (leadership lost): " + method.getName()
                        + " not written");
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
