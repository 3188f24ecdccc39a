package io.egressgateway.application.port.out;

import java.util.Map;
import java.util.Objects;

/**
 * What a direct read of the API server (not the informer cache) returned for the objects that decide
 * where EIPs are answered: the EgressGateways' resourceVersions and the list's own version. After an
 * outage the agent compares its cache against one: only a cache at least this fresh may decide that
 * this node answers for an EIP again.
 *
 * <p>resourceVersions are compared as numbers when both are numbers (etcd revisions, and the testbed's
 * API server), else only equality counts.
 */
public record CacheBarrier(String listVersion, Map<String, String> versions) {
    public CacheBarrier {
        Objects.requireNonNull(listVersion, "listVersion");
        versions = Map.copyOf(versions);
    }

    /**
     * Whether a cache holding {@code cached} (name to resourceVersion) is at least as fresh as this
     * read: every object read is cached at the same or a later version, and every cached object that
     * the read did not see was created after it (otherwise it is a stale object deleted since).
     */
    public boolean reachedBy(Map<String, String> cached) {
        for (Map.Entry<String, String> e : versions.entrySet()) {
            String have = cached.get(e.getKey());
            if (have == null || !atLeast(have, e.getValue())) {
                return false;
            }
        }
        for (Map.Entry<String, String> e : cached.entrySet()) {
            if (!versions.containsKey(e.getKey()) && !newer(e.getValue(), listVersion)) {
                return false;
            }
        }
        return true;
    }

    private static boolean atLeast(String have, String want) {
        Long h = number(have);
        Long w = number(want);
        return h != null && w != null ? h >= w : have.equals(want);
    }

    private static boolean newer(String have, String than) {
        Long h = number(have);
        Long t = number(than);
        return h != null && t != null && h > t;
    }

    private static Long number(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
