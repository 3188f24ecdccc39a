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

    /**
     * Samples by series ({@code name} or {@code name{labels}} as written) to value; comments are
     * skipped. Label values with spaces are not expected in the agent's output.
     */
    static Map<String, Double> parse(String text) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            if (line.startsWith("#")) {
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

    /** The sum of every series of family {@code name} (e.g. passes over all results), -1 when absent. */
    static double sum(Map<String, Double> values, String name) {
        double total = 0;
        boolean found = false;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getKey().equals(name) || e.getKey().startsWith(name + "{")) {
                total += e.getValue();
                found = true;
            }
        }
        return found ? total : -1;
    }
}
