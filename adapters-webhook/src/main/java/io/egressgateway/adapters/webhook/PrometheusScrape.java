package io.egressgateway.adapters.webhook;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The Dropwizard registry in the Prometheus text format, through the Prometheus Dropwizard bridge. */
final class PrometheusScrape {
    private final DropwizardExports exports;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    PrometheusScrape(MetricRegistry registry) {
        this.exports = new DropwizardExports(registry);
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, exports.collect());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    String contentType() {
        return writer.getContentType();
    }
}
