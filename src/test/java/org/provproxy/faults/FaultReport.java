package org.provproxy.faults;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.provproxy.faults.FaultPlan.Call;
import org.provproxy.faults.FaultPlan.Endpoint;

/**
 * Judges each answer against what it must be and keeps the one table the suite prints: requests per fault kind,
 * answers per status, and six columns that must all be zero.
 * <ul>
 *   <li><b>wrong logouts</b>: the tenant's logout status, though XSI never said the credentials were wrong or the
 *       user gone (no request of this suite gives the proxy a reason to log anyone out);</li>
 *   <li><b>not &lt;error&gt;</b>: an answer other than 200/304 that is not {@code application/xml} with
 *       {@code <error><message>…</message></error>}, or no answer at all within the app's timeout;</li>
 *   <li><b>500s</b>;</li>
 *   <li><b>OOMs</b>: requests whose log records mention an OutOfMemoryError, plus such records of no request
 *       (and one more if the JVM reported an OutOfMemoryError that was never logged);</li>
 *   <li><b>secrets in log</b>: log records holding a password, a token or Basic credentials of the run;</li>
 *   <li><b>healthy failed</b>: a user whose backend answered correctly did not get 200 with their own account (or
 *       global answer), or 304 for a matching If-None-Match.</li>
 * </ul>
 */
final class FaultReport {

    /** What the app got: status (-1: no answer within the client's timeout or a broken connection). */
    record Outcome(Call call, int status, String contentType, String body, String failure, long millis) {
    }

    enum Column {
        WRONG_LOGOUT("wrong logouts"),
        NOT_ERROR_SHAPE("not <error>"),
        STATUS_500("500s"),
        OOM("OOMs"),
        SECRET("secrets in log"),
        HEALTHY_FAILED("healthy failed");

        final String title;

        Column(String title) {
            this.title = title;
        }
    }

    private static final Pattern ERROR_SHAPE = Pattern.compile("(?s)<error><message>[^<]*</message></error>");
    private static final Pattern SECRET = Pattern.compile("x-fault-\\d{4}-[0-9a-f]{6}-[A-Za-z0-9-]+");
    private static final String UNATTRIBUTED = "(not tied to a request)";

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final TreeSet<Integer> statuses = new TreeSet<>();
    private final Map<Column, List<String>> examples = new EnumMap<>(Column.class);
    /** What the proxy logged about a request's failure ("provisioning failed: ..."), by request id. */
    private final Map<String, String> proxyDetails = new HashMap<>();
    private final Set<Integer> oomRequests = new HashSet<>();

    FaultReport() {
        for (Fault fault : Fault.values()) {
            rows.put(fault.label(), new Row());
        }
        rows.put(UNATTRIBUTED, new Row());
        for (Column column : Column.values()) {
            examples.put(column, new ArrayList<>());
        }
    }

    private static final class Row {
        int requests;
        final Map<Integer, Integer> statuses = new LinkedHashMap<>();
        final Map<Column, Integer> counts = new EnumMap<>(Column.class);

        int count(Column column) {
            return counts.getOrDefault(column, 0);
        }
    }

    synchronized void judge(Outcome outcome) {
        Call call = outcome.call();
        Row row = rows.get(call.fault().label());
        row.requests++;
        row.statuses.merge(outcome.status(), 1, Integer::sum);
        statuses.add(outcome.status());
        int status = outcome.status();
        if (status == call.logoutStatus()) {
            flag(row, Column.WRONG_LOGOUT, outcome);
        }
        if (status != 200 && status != 304 && !errorShaped(outcome)) {
            flag(row, Column.NOT_ERROR_SHAPE, outcome);
        }
        if (status == 500) {
            flag(row, Column.STATUS_500, outcome);
        }
        if (call.fault().healthyBackend() && !servedAsHealthy(outcome)) {
            flag(row, Column.HEALTHY_FAILED, outcome);
        }
    }

    /**
     * A log record that mentions an OutOfMemoryError; {@code call} null when no request can be named. Counted once
     * per request (one error is often logged twice, by the cache and by the failure policy), else once per record.
     */
    synchronized void oom(Call call, String record) {
        if (call != null && !oomRequests.add(call.index())) {
            return;
        }
        Row row = call == null ? rows.get(UNATTRIBUTED) : rows.get(call.fault().label());
        row.counts.merge(Column.OOM, 1, Integer::sum);
        example(Column.OOM, (call == null ? "-" : call.requestId()) + ": " + oomLine(record));
    }

    /** A log record that holds a secret of {@code call}'s user (null: of no request in particular). */
    synchronized void secret(Call call, String what) {
        Row row = call == null ? rows.get(UNATTRIBUTED) : rows.get(call.fault().label());
        row.counts.merge(Column.SECRET, 1, Integer::sum);
        example(Column.SECRET, (call == null ? "-" : call.requestId()) + ": " + what);
    }

    synchronized int total(Column column) {
        return rows.values().stream().mapToInt(row -> row.count(column)).sum();
    }

    synchronized boolean green() {
        for (Column column : Column.values()) {
            if (total(column) > 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean errorShaped(Outcome outcome) {
        return outcome.status() > 0 && outcome.contentType() != null
                && outcome.contentType().startsWith("application/xml") && outcome.body() != null
                && ERROR_SHAPE.matcher(outcome.body().strip()).matches();
    }

    /** 200 with the user's own account (SIP password, user id) or global answer; 304 only for a validator sent. */
    private static boolean servedAsHealthy(Outcome outcome) {
        Call call = outcome.call();
        if (outcome.status() == 304) {
            return call.ifNoneMatch() != null;
        }
        if (outcome.status() != 200 || outcome.body() == null) {
            return false;
        }
        String body = outcome.body();
        if (call.endpoint() == Endpoint.GLOBAL) {
            return body.contains("<quickDial") && body.contains("id=\"blf-hank@acme.example\"");
        }
        return body.contains("<password>" + call.user().sipPassword() + "</password>")
                && body.contains("<X-xsi-user-id>" + call.user().userId() + "</X-xsi-user-id>");
    }

    private void flag(Row row, Column column, Outcome outcome) {
        row.counts.merge(column, 1, Integer::sum);
        Call call = outcome.call();
        String body = outcome.body() == null ? "" : SECRET.matcher(outcome.body()).replaceAll("<secret>")
                .replaceAll("\\s+", " ");
        example(column, "%s %s %s%s -> %s%s %s".formatted(call.requestId(), call.label(), call.user().tenant(),
                call.user().target() == null ? "" : " at " + call.user().target(),
                outcome.status() < 0 ? "no answer" : outcome.status(),
                outcome.failure() == null ? "" : " (" + outcome.failure() + ")",
                body.length() > 140 ? body.substring(0, 140) + "…" : body));
    }

    private void example(Column column, String text) {
        List<String> list = examples.get(column);
        if (list.size() < 4) {
            list.add(text);
        }
    }

    /** The line naming the OutOfMemoryError and the frame that threw it. */
    private static String oomLine(String record) {
        List<String> lines = record.lines().map(String::strip).toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("OutOfMemoryError")) {
                String where = i + 1 < lines.size() && lines.get(i + 1).startsWith("at ") ? " " + lines.get(i + 1) : "";
                String line = lines.get(i) + where;
                return line.length() > 220 ? line.substring(0, 220) + "…" : line;
            }
        }
        return "";
    }

    /** The proxy's own words about a request that failed, added to the examples. */
    synchronized void proxyDetail(String requestId, String detail) {
        proxyDetails.putIfAbsent(requestId, detail);
    }

    /** The table, then a few examples per non-zero column. */
    synchronized String table() {
        List<String> header = new ArrayList<>(List.of("fault kind", "requests"));
        for (int status : statuses) {
            header.add(status < 0 ? "no answer" : String.valueOf(status));
        }
        for (Column column : Column.values()) {
            header.add(column.title);
        }
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        Row total = new Row();
        for (Map.Entry<String, Row> entry : rows.entrySet()) {
            Row row = entry.getValue();
            boolean any = row.requests > 0 || row.counts.values().stream().anyMatch(c -> c > 0);
            if (!any) {
                continue;
            }
            lines.add(line(entry.getKey(), row));
            total.requests += row.requests;
            row.statuses.forEach((status, count) -> total.statuses.merge(status, count, Integer::sum));
            row.counts.forEach((column, count) -> total.counts.merge(column, count, Integer::sum));
        }
        lines.add(line("total", total));
        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int l = 0; l < lines.size(); l++) {
            if (l == lines.size() - 1 || l == 1) {
                for (int i = 0; i < widths.length; i++) {
                    out.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
                }
                out.append('\n');
            }
            List<String> line = lines.get(l);
            for (int i = 0; i < line.size(); i++) {
                out.append(i == 0 ? "" : " | ");
                out.append(i == 0 ? pad(line.get(i), widths[i], false) : pad(line.get(i), widths[i], true));
            }
            out.append('\n');
        }
        for (Column column : Column.values()) {
            if (!examples.get(column).isEmpty()) {
                out.append("e.g. ").append(column.title).append(":\n");
                for (String example : examples.get(column)) {
                    String detail = proxyDetails.get(example.substring(0, Math.max(example.indexOf(' '), 0)));
                    out.append("  ").append(example).append(detail == null ? "" : "\n      proxy log: " + detail)
                            .append('\n');
                }
            }
        }
        return out.toString();
    }

    private List<String> line(String name, Row row) {
        List<String> line = new ArrayList<>(List.of(name, String.valueOf(row.requests)));
        for (int status : statuses) {
            line.add(String.valueOf(row.statuses.getOrDefault(status, 0)));
        }
        for (Column column : Column.values()) {
            line.add(String.valueOf(row.count(column)));
        }
        return line;
    }

    private static String pad(String text, int width, boolean right) {
        String spaces = " ".repeat(width - text.length());
        return right ? spaces + text : text + spaces;
    }
}
