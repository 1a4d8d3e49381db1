package io.github.amimaven.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark results as tables: aligned text for the terminal, and rows appended to the tables of BENCHMARKS.md so
 * that every run adds its measurements under the earlier ones.
 */
public final class Report {

    /** One table: an id that names it in BENCHMARKS.md, a title and the column headers. */
    public static final class Table {
        private final String id;
        private final String title;
        private final List<String> columns;
        private final List<List<String>> rows = new ArrayList<>();

        public Table(String id, String title, List<String> columns) {
            this.id = id;
            this.title = title;
            this.columns = List.copyOf(columns);
        }

        public Table row(List<String> cells) {
            if (cells.size() != columns.size()) {
                throw new IllegalArgumentException(id + ": " + columns.size() + " columns, row has " + cells.size()
                        + ": " + cells);
            }
            rows.add(List.copyOf(cells));
            return this;
        }

        public String id() {
            return id;
        }

        public String title() {
            return title;
        }

        public List<List<String>> rows() {
            return List.copyOf(rows);
        }

        /** The title and the table with its columns padded to the widest cell. */
        public String toText() {
            int[] widths = new int[columns.size()];
            for (int c = 0; c < widths.length; c++) {
                widths[c] = columns.get(c).length();
                for (List<String> row : rows) {
                    widths[c] = Math.max(widths[c], row.get(c).length());
                }
            }
            StringBuilder out = new StringBuilder(title).append('\n');
            appendText(out, columns, widths);
            for (int c = 0; c < widths.length; c++) {
                out.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
            }
            out.append('\n');
            for (List<String> row : rows) {
                appendText(out, row, widths);
            }
            return out.toString();
        }

        private static void appendText(StringBuilder out, List<String> cells, int[] widths) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cells.size(); c++) {
                line.append(c == 0 ? "" : "  ").append(String.format("%-" + widths[c] + "s", cells.get(c)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }

        String markdownHeader() {
            return markdownRow(columns) + "|" + "---|".repeat(columns.size()) + "\n";
        }

        static String markdownRow(List<String> cells) {
            StringBuilder out = new StringBuilder("|");
            for (String cell : cells) {
                out.append(' ').append(cell.replace("|", "\\|")).append(" |");
            }
            return out.append('\n').toString();
        }
    }

    private Report() {
    }

    /**
     * Adds the rows of each table to BENCHMARKS.md under the earlier rows of the table with the same id (found by its
     * {@code <!-- table:id -->} marker); a table the file does not have yet is added at the end with its header.
     * Everything else in the file is kept as it is.
     */
    public static void appendTo(Path file, String header, List<Table> tables) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : header;
        for (Table table : tables) {
            text = appendRows(text, table);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static String appendRows(String text, Table table) {
        String marker = "<!-- table:" + table.id() + " -->";
        StringBuilder rows = new StringBuilder();
        table.rows().forEach(r -> rows.append(Table.markdownRow(r)));
        int at = text.indexOf(marker);
        if (at < 0) {
            String section = (text.endsWith("\n") ? "" : "\n") + "\n### " + table.title() + "\n\n" + marker + "\n"
                    + table.markdownHeader() + rows;
            return text + section;
        }
        // the table is the run of lines starting with '|' after the marker
        int pos = text.indexOf('\n', at) + 1;
        while (pos > 0 && pos < text.length() && text.startsWith("|", pos)) {
            int end = text.indexOf('\n', pos);
            pos = end < 0 ? text.length() : end + 1;
        }
        if (pos == text.indexOf('\n', at) + 1) {
            rows.insert(0, table.markdownHeader());
        }
        String before = text.substring(0, pos);
        if (!before.endsWith("\n")) {
            before += "\n";
        }
        return before + rows + text.substring(pos);
    }

    /** Seconds with one decimal: {@code 12.3}. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    /** A ratio with two decimals and a times sign: {@code 1.05×}. */
    public static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    public static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f %%", p);
    }
}
