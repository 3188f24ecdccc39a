package io.egressgateway.testbed.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** An agent's {@code /metrics} (Prometheus text) as name -> value, for the figures only it knows (pass time). */
final class AgentMetrics {
    private AgentMetrics() {
    }

    /** Empty when the agent has no metrics listener ({@code port} 0) or does not answer. */
    static Map<String, Double> scrape(int port) {
        if (port == 0) {
            return Map.of();
        }
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? parse(r.body()) : Map.of();
        } catch (java.io.IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** Samples without labels ({@code name value}); comments and labelled samples are skipped. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("#") || line.contains("{")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2) {
                try {
                    values.put(f[0], Double.parseDouble(f[1]));
                } catch (NumberFormatException e) {
                    // not a sample line
                }
            }
        }
        return values;
    }
}
