package org.provproxy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one table the bench prints: a row per scenario, plain text, columns padded to their widest cell. */
final class BenchTable {

    static final List<String> HEADERS = List.of("scenario", "D ms", "clients", "requests", "failed", "p50 ms",
            "p99 ms", "req/s", "proxy CPU ms/req", "of which JIT", "CPU ratio to floor", "p50 target", "p99 target",
            "XSI+DMS calls/sign-in", "peak heap MB", "peak RSS MB (end)", "targets");

    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void row(List<String> cells) {
        if (cells.size() != HEADERS.size()) {
            throw new IllegalArgumentException("a row has " + HEADERS.size() + " cells: " + cells);
        }
        rows.add(cells);
    }

    void note(String note) {
        notes.add(note);
    }

    String render(String machine) {
        int[] widths = new int[HEADERS.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(HEADERS);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(machine).append('\n');
        for (int r = 0; r < all.size(); r++) {
            List<String> row = all.get(r);
            StringBuilder line = new StringBuilder("|");
            for (int i = 0; i < row.size(); i++) {
                // numbers right-aligned, words left-aligned
                String cell = row.get(i);
                boolean number = r > 0 && cell.matches("[-0-9.,/ ()]+");
                line.append(' ').append(number ? pad(cell, widths[i], true) : pad(cell, widths[i], false))
                        .append(" |");
            }
            out.append(line).append('\n');
            if (r == 0) {
                StringBuilder rule = new StringBuilder("|");
                for (int width : widths) {
                    rule.append("-".repeat(width + 2)).append('|');
                }
                out.append(rule).append('\n');
            }
        }
        notes.forEach(note -> out.append("- ").append(note).append('\n'));
        return out.toString();
    }

    private static String pad(String cell, int width, boolean right) {
        String space = " ".repeat(width - cell.length());
        return right ? space + cell : cell + space;
    }

    static String number(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
