package io.egressgateway.testbed.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/** A {@code /metrics} text as series ({@code name} or {@code name{labels}} as written) to value. */
final class PromText {
    private PromText() {
    }

    static Map<String, Double> parse(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int cut = line.lastIndexOf(' ');
            try {
                out.put(line.substring(0, cut).trim(), Double.parseDouble(line.substring(cut + 1).trim()));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new AssertionError("not a sample line: " + line, e);
            }
        }
        return out;
    }

    /** The sum of family {@code name}'s series whose labels contain every {@code name="value"} of {@code labels}. */
    static double sum(Map<String, Double> samples, String name, Map<String, String> labels) {
        double total = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (!k.equals(name) && !k.startsWith(name + "{")) {
                continue;
            }
            if (labels.entrySet().stream().allMatch(l -> k.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                total += e.getValue();
            }
        }
        return total;
    }
}
