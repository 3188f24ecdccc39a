package io.egressgateway.bootstrap;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/** The HTTP adapter's shared piece: the metric registry both roles expose on /metrics. */
final class WebhookAdapterModule extends AbstractModule {
    @Provides
    @Singleton
    MetricRegistry metrics() {
        return new MetricRegistry();
    }
}
