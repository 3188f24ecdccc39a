package io.egressgateway.testbed.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One result table, printed as Markdown so that a run can be pasted into docs/benchmarks.md as it is. */
public record Table(String title, List<String> header, List<List<String>> rows, List<String> notes) {

    public Table {
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("table \"" + title + "\": a row has " + r.size() + " cells, the header "
                        + header.size());
            }
        }
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        notes = List.copyOf(notes);
    }

    /** A table being filled row by row. */
    static final class Builder {
        private final String title;
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        Builder(String title, String... header) {
            this.title = title;
            this.header = List.of(header);
        }

        Builder row(Object... cells) {
            List<String> r = new ArrayList<>();
            for (Object c : cells) {
                r.add(c instanceof Double d ? fmt(d) : String.valueOf(c));
            }
            rows.add(r);
            return this;
        }

        Builder note(String text) {
            notes.add(text);
            return this;
        }

        Table build() {
            return new Table(title, header, rows, notes);
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
    }

    public String markdown() {
        StringBuilder b = new StringBuilder("### ").append(title).append("\n\n");
        b.append("| ").append(String.join(" | ", header)).append(" |\n");
        b.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        if (!notes.isEmpty()) {
            b.append('\n');
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }
}
