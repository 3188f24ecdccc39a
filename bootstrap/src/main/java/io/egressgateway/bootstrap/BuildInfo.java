package io.egressgateway.bootstrap;

import io.egressgateway.application.metrics.MetricFamily;
import io.egressgateway.application.metrics.MetricSource;
import java.util.List;
import java.util.Map;

/** {@code egressgateway_build_info{version,role} 1}: which build runs where, for joins in queries. */
final class BuildInfo {
    private BuildInfo() {
    }

    static MetricSource of(String role) {
        String v = Main.class.getPackage().getImplementationVersion();
        List<MetricFamily> f = List.of(new MetricFamily("egressgateway_build_info",
                "Always 1; the labels say the version running and the role of this process.", MetricFamily.Type.GAUGE,
                List.of(new MetricFamily.Sample(Map.of("version", v == null ? "dev" : v, "role", role), 1))));
        return () -> f;
    }
}
