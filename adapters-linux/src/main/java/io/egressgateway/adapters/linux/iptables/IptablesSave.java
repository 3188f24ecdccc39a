package io.egressgateway.adapters.linux.iptables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code iptables-save} printed, parsed: per table, the chains in order and their rules. A
 * rule keeps the text as printed (for {@code -D} by exact spec and for humans) and the hash of its
 * {@code egw:} comment when it has one.
 */
public final class IptablesSave {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern COMMENT = Pattern.compile("-m comment --comment (\"egw:([0-9a-f]+)\"|egw:([0-9a-f]+))");

    /** One saved rule: the text after {@code -A <chain> }, and its egw hash if any. */
    public record SavedRule(String chain, String spec, Optional<String> hash) {
        /** The spec without our comment match, which is what a human wants to read. */
        public String specWithoutComment() {
            return WHITESPACE.matcher(COMMENT.matcher(spec).replaceAll("")).replaceAll(" ").strip();
        }
    }

    /** One table: its chains in the order they were declared, each with its rules. */
    public record Table(String name, Map<String, List<SavedRule>> chains) {
        public List<SavedRule> rules(String chain) {
            return chains.getOrDefault(chain, List.of());
        }
    }

    private final Map<String, Table> tables;

    private IptablesSave(Map<String, Table> tables) {
        this.tables = tables;
    }

    public static IptablesSave parse(String text) {
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, List<SavedRule>> chains = null;
        String table = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("*")) {
                table = line.substring(1).strip();
                chains = new LinkedHashMap<>();
            } else if (line.equals("COMMIT")) {
                if (table != null) {
                    tables.put(table, new Table(table, freeze(chains)));
                }
                table = null;
                chains = null;
            } else if (chains != null && line.startsWith(":")) {
                String name = WHITESPACE.split(line.substring(1), 2)[0];
                chains.putIfAbsent(name, new ArrayList<>());
            } else if (chains != null && line.startsWith("-A ")) {
                String[] parts = WHITESPACE.split(line, 3);
                String chain = parts[1];
                String spec = parts.length > 2 ? parts[2] : "";
                chains.computeIfAbsent(chain, c -> new ArrayList<>()).add(new SavedRule(chain, spec, hashOf(spec)));
            }
        }
        return new IptablesSave(tables);
    }

    public Map<String, Table> tables() {
        return tables;
    }

    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    public boolean hasChain(String table, String chain) {
        return table(table).map(t -> t.chains().containsKey(chain)).orElse(false);
    }

    /** How many rules there are in all tables, and whether kube-proxy's chains are among them. */
    public int ruleCount() {
        return tables.values().stream().mapToInt(t -> t.chains().values().stream().mapToInt(List::size).sum()).sum();
    }

    public boolean hasKubeProxy() {
        return tables.values().stream().anyMatch(t -> t.chains().keySet().stream().anyMatch(c -> c.startsWith("KUBE-")));
    }

    static Optional<String> hashOf(String spec) {
        Matcher m = COMMENT.matcher(spec);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(m.group(2) != null ? m.group(2) : m.group(3));
    }

    private static Map<String, List<SavedRule>> freeze(Map<String, List<SavedRule>> chains) {
        Map<String, List<SavedRule>> out = new LinkedHashMap<>();
        chains.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }
}
