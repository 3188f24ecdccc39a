package io.egressgateway.adapters.webhook;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: it refuses anything the
 * format does not allow (bad names, unescaped label values, unknown types, TYPE after samples, a
 * sample line that is not {@code name[{labels}] value [timestamp]}), so a scrape that parses here
 * parses in Prometheus. The Java client libraries served here only write the format; none reads it.
 */
final class PrometheusTextParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?[ \\t]+(\\S+)([ \\t]+-?\\d+)?");
    private static final Pattern LABEL = Pattern.compile(
            "[ \\t]*([a-zA-Z_][a-zA-Z0-9_]*)[ \\t]*=[ \\t]*\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"[ \\t]*(,|$)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusTextParser() {
    }

    /** Every sample, keyed by {@code name{labels as written}}; throws naming the bad line. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> seenFamilies = new HashSet<>();
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a newline");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String where = "line " + (i + 1) + " \"" + line + "\": ";
            if (line.startsWith("#")) {
                String[] parts = line.split("[ \\t]+", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    if (!NAME.matcher(parts[2]).matches()) {
                        throw new IllegalArgumentException(where + "bad metric name");
                    }
                    if (parts[1].equals("TYPE")) {
                        if (parts.length != 4 || !TYPES.contains(parts[3])) {
                            throw new IllegalArgumentException(where + "bad type");
                        }
                        if (types.put(parts[2], parts[3]) != null || seenFamilies.contains(parts[2])) {
                            throw new IllegalArgumentException(where + "TYPE repeated or after the family's samples");
                        }
                    }
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(where + "not a sample line");
            }
            String labels = m.group(3) == null ? "" : m.group(3);
            if (!labels.isEmpty()) {
                Matcher l = LABEL.matcher(labels);
                int pos = 0;
                while (pos < labels.length()) {
                    if (!l.find(pos) || l.start() != pos) {
                        throw new IllegalArgumentException(where + "bad label set");
                    }
                    pos = l.end();
                }
            }
            double value = value(m.group(4), where);
            String key = m.group(1) + (labels.isEmpty() ? "" : "{" + labels + "}");
            if (samples.put(key, value) != null) {
                throw new IllegalArgumentException(where + "duplicate series");
            }
            seenFamilies.add(family(m.group(1)));
        }
        return samples;
    }

    private static String family(String name) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_total", "_created"}) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static double value(String s, String where) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + "bad value " + s);
                }
        }
    }
}
