package dev.tollgate.monitor;

import dev.tollgate.core.Printable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code tollgate monitor --html FILE}: the whole run as one self-contained HTML page (inline CSS and SVG, no
 * script, nothing fetched): requests per second of log time with the window's average, the threshold and the alert
 * periods shaded; the top sections, hosts, status codes and methods; the alerts; the bad lines by reason. Written at
 * the end of the run, and after every chunk under {@code --follow}, to a temporary file in the same directory that
 * then replaces FILE, so a reader never sees half a page.
 *
 * <p>Every text from the log is HTML-escaped and cut to {@value #MAX_TEXT} characters, and every table is bounded:
 * a hostile log can make the page neither run scripts nor grow without end. The chart keeps the last
 * {@value #MAX_SECONDS} seconds of log time.
 */
final class HtmlReport implements MonitorListener {

    /** Seconds of log time on the chart: 7 days. */
    static final int MAX_SECONDS = 7 * 24 * 3600;
    /** Characters of a log-derived text shown. */
    static final int MAX_TEXT = 120;
    /** Names counted per top table; names beyond are counted together. */
    static final int MAX_NAMES = 10_000;
    /** Rows shown per top table. */
    static final int TOP_ROWS = 10;
    /** Alerts and recoveries listed. */
    static final int MAX_ALERTS = 1_000;
    /** Distinct reasons of bad lines; more are counted together. */
    static final int MAX_REASONS = 50;

    private static final String OTHERS = "(others)";

    private final Path path;
    private final String source;
    private final boolean follow;
    private final double threshold;
    private final long window;
    private final PrintStream err;

    private long base = Long.MIN_VALUE;
    private long[] requests = new long[0];
    private long[] windowRequests = new long[0];
    private long firstSecond = Long.MAX_VALUE;
    private long lastSecond = Long.MIN_VALUE;

    private final Map<String, Long> sections = new LinkedHashMap<>();
    private final Map<String, Long> hosts = new LinkedHashMap<>();
    private final Map<String, Long> methods = new LinkedHashMap<>();
    private final Map<Integer, Long> statusCodes = new TreeMap<>();
    private final Map<String, Long> badReasons = new LinkedHashMap<>();
    private final List<TrafficAlert> alerts = new ArrayList<>();
    private long alertsLeftOut;
    private long requestTotal;
    private long byteTotal;
    private MonitorProgress progress;
    private boolean failed;

    private HtmlReport(Path path, String source, MonitorOptions options, PrintStream err) {
        this.path = path;
        this.source = source;
        this.follow = options.follow();
        this.threshold = options.threshold();
        this.window = options.window().toSeconds();
        this.err = err;
    }

    /**
     * The report for {@code options.html()}, after checking that its directory takes files.
     *
     * @throws MonitorException when the directory does not exist or is not writable, or the path is a directory
     */
    static HtmlReport create(MonitorOptions options, String source, PrintStream err) {
        Path path = options.html().orElseThrow();
        Path dir = directory(path);
        if (Files.isDirectory(path)) {
            throw new MonitorException("cannot write the --html file '" + path + "': it is a directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new MonitorException("cannot write the --html file '" + path + "': no such directory");
        }
        if (!Files.isWritable(dir)) {
            throw new MonitorException("cannot write the --html file '" + path + "': permission denied");
        }
        return new HtmlReport(path, source, options, err);
    }

    @Override
    public void onSecond(SecondCount second) {
        long s = second.epochSecond();
        if (base == Long.MIN_VALUE) {
            base = s;
        }
        if (s < base) {
            return;
        }
        if (s - base >= MAX_SECONDS) {
            shiftTo(s - MAX_SECONDS + 1);
        }
        int i = (int) (s - base);
        if (i >= requests.length) {
            int size = (int) Math.min(MAX_SECONDS, Math.max(i + 1L, Math.max(64, requests.length * 2L)));
            requests = Arrays.copyOf(requests, size);
            windowRequests = Arrays.copyOf(windowRequests, size);
        }
        requests[i] = second.requests();
        windowRequests[i] = second.windowRequests();
        lastSecond = Math.max(lastSecond, s);
    }

    @Override
    public void onChunk(ChunkReport chunk) {
        if (chunk.requests() > 0) {
            firstSecond = Math.min(firstSecond, chunk.firstSecond());
        }
        lastSecond = Math.max(lastSecond, chunk.lastSecond());
        requestTotal += chunk.requests();
        byteTotal += chunk.bytes();
        chunk.sections().forEach(e -> count(sections, e.name(), e.hits()));
        chunk.hosts().forEach(e -> count(hosts, e.name(), e.hits()));
        chunk.methods().forEach((m, n) -> count(methods, m, n));
        chunk.statusCodes().forEach((code, n) -> statusCodes.merge(code, n, Long::sum));
        if (follow) {
            write(Optional.empty());
        }
    }

    @Override
    public void onAlert(TrafficAlert alert) {
        if (alerts.size() < MAX_ALERTS) {
            alerts.add(alert);
        } else {
            alertsLeftOut++;
        }
    }

    @Override
    public void onBadLine(long lineNumber, String reason) {
        count(badReasons, reason, 1, MAX_REASONS);
    }

    @Override
    public void onProgress(MonitorProgress now) {
        progress = now;
    }

    @Override
    public void onFinish(MonitorSummary summary) {
        summary.firstSecond().ifPresent(s -> firstSecond = Math.min(firstSecond, s));
        summary.lastSecond().ifPresent(s -> lastSecond = Math.max(lastSecond, s));
        write(Optional.of(summary));
    }

    private void shiftTo(long newBase) {
        int by = (int) Math.min(requests.length, newBase - base);
        requests = Arrays.copyOfRange(requests, by, by + MAX_SECONDS);
        windowRequests = Arrays.copyOfRange(windowRequests, by, by + MAX_SECONDS);
        base = newBase;
    }

    private static void count(Map<String, Long> counts, String name, long n) {
        count(counts, name, n, MAX_NAMES);
    }

    private static void count(Map<String, Long> counts, String name, long n, int max) {
        String key = name.length() > MAX_TEXT * 2 ? name.substring(0, MAX_TEXT * 2) : name;
        if (counts.containsKey(key) || counts.size() < max) {
            counts.merge(key, n, Long::sum);
        } else {
            counts.merge(OTHERS, n, Long::sum);
        }
    }

    /** Writes the page to a temporary file next to FILE and moves it in place. */
    private void write(Optional<MonitorSummary> summary) {
        String page = page(summary);
        Path temp = null;
        try {
            temp = Files.createTempFile(directory(path), "." + path.getFileName(), ".tmp");
            Files.writeString(temp, page, StandardCharsets.UTF_8);
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            if (!failed) {
                failed = true;
                err.println("tollgate monitor: "
                        + Printable.escape("cannot write the --html file '" + path + "': " + e.getMessage()));
            }
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the directory refuses writes: the message above said so
                }
            }
        }
    }

    private static Path directory(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    // ---- the page

    String page(Optional<MonitorSummary> summary) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<title>tollgate monitor: ")
                .append(text(source))
                .append("</title>\n<style>")
                .append(STYLE)
                .append("</style></head>\n<body>\n<h1>tollgate monitor <span class=\"source\">")
                .append(text(source))
                .append("</span></h1>\n");
        overview(html, summary);
        chart(html);
        html.append("<div class=\"grid\">\n");
        table(html, "Top sections", "section", top(sections), "sections");
        table(html, "Top hosts", "host", top(hosts), "hosts");
        Map<String, Long> codes = new LinkedHashMap<>();
        statusCodes.forEach((code, n) -> codes.put(Integer.toString(code), n));
        table(html, "Status codes", "status", codes, "status-codes");
        table(html, "Methods", "method", top(methods), "methods");
        html.append("</div>\n");
        alertsTable(html);
        table(html, "Bad lines by reason", "reason", top(badReasons, MAX_REASONS + 1), "bad-lines");
        html.append("<p class=\"note\">Top sections and hosts add up the hits of each chunk's top list (")
                .append("a name counts in the chunks where it was among the busiest); status codes and methods ")
                .append("count every request placed. Written ")
                .append(summary.isPresent() ? "at the end of the run." : "while following; rewritten every chunk.")
                .append("</p>\n</body></html>\n");
        return html.toString();
    }

    private void overview(StringBuilder html, Optional<MonitorSummary> summary) {
        html.append("<table class=\"overview\" id=\"overview\">");
        if (summary.isPresent()) {
            MonitorSummary s = summary.get();
            s.format().ifPresent(f -> row(html, "format", text(f)));
            row(html, "lines", Long.toString(s.lines()));
            row(html, "requests", Long.toString(s.records()));
            row(html, "bad lines", Long.toString(s.badLines()));
            row(html, "late lines", Long.toString(s.lateLines()));
            row(html, "alerts", s.alerts() + " raised, " + s.recoveries() + " recovered");
        } else if (progress != null) {
            row(html, "lines", Long.toString(progress.lines()));
            row(html, "requests", Long.toString(progress.records()));
            row(html, "bad lines", Long.toString(progress.badLines()));
            row(html, "late lines", Long.toString(progress.lateLines()));
        }
        row(html, "requests placed", Long.toString(requestTotal));
        row(html, "bytes", Long.toString(byteTotal));
        if (firstSecond <= lastSecond) {
            row(
                    html,
                    "log time",
                    TimeText.utc(firstSecond) + " .. " + TimeText.utc(lastSecond) + " UTC ("
                            + (lastSecond - firstSecond + 1) + " s)");
        }
        row(html, "threshold", number(threshold) + " requests/s averaged over " + window + " s");
        html.append("</table>\n");
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(name).append("</th><td>").append(value).append("</td></tr>");
    }

    /** The chart: one point per second of log time from the first to the last, as inline SVG. */
    private void chart(StringBuilder html) {
        html.append("<h2>Requests per second of log time</h2>\n");
        if (firstSecond > lastSecond || base == Long.MIN_VALUE) {
            html.append("<p id=\"chart\" data-points=\"0\">No requests.</p>\n");
            return;
        }
        long from = Math.max(firstSecond, lastSecond - MAX_SECONDS + 1);
        long to = lastSecond;
        int n = (int) (to - from + 1);
        double max = Math.max(1, threshold * 1.2);
        for (long s = from; s <= to; s++) {
            max = Math.max(max, Math.max((double) at(requests, s), at(windowRequests, s) / (double) window));
        }
        int width = 1000;
        int height = 300;
        double dx = n == 1 ? 0 : width / (double) (n - 1);
        StringBuilder perSecond = new StringBuilder(n * 12);
        StringBuilder average = new StringBuilder(n * 12);
        for (int i = 0; i < n; i++) {
            long s = from + i;
            String x = coordinate(i * dx);
            perSecond
                    .append(x)
                    .append(',')
                    .append(coordinate(y((double) at(requests, s), max, height)))
                    .append(' ');
            average.append(x)
                    .append(',')
                    .append(coordinate(y(at(windowRequests, s) / (double) window, max, height)))
                    .append(' ');
        }
        html.append("<svg id=\"chart\" viewBox=\"-60 -10 1080 340\" role=\"img\" data-points=\"")
                .append(n)
                .append("\" data-first=\"")
                .append(from)
                .append("\" data-last=\"")
                .append(to)
                .append("\" aria-label=\"requests per second\">\n");
        for (long[] period : alertPeriods(from, to)) {
            double x1 = (period[0] - from) * dx;
            double x2 = (period[1] - from) * dx;
            html.append("<rect class=\"alert-period\" x=\"")
                    .append(coordinate(x1))
                    .append("\" y=\"0\" width=\"")
                    .append(coordinate(Math.max(1, x2 - x1)))
                    .append("\" height=\"")
                    .append(height)
                    .append("\"><title>alert ")
                    .append(TimeText.utc(period[0]))
                    .append(" .. ")
                    .append(TimeText.utc(period[1]))
                    .append(" UTC</title></rect>\n");
        }
        html.append("<line class=\"axis\" x1=\"0\" y1=\"")
                .append(height)
                .append("\" x2=\"")
                .append(width)
                .append("\" y2=\"")
                .append(height)
                .append("\"/>\n");
        html.append("<polyline id=\"per-second\" class=\"per-second\" points=\"")
                .append(perSecond.toString().trim())
                .append("\"/>\n");
        html.append("<polyline id=\"window-average\" class=\"average\" points=\"")
                .append(average.toString().trim())
                .append("\"/>\n");
        String ty = coordinate(y(threshold, max, height));
        html.append("<line id=\"threshold\" class=\"threshold\" x1=\"0\" y1=\"")
                .append(ty)
                .append("\" x2=\"")
                .append(width)
                .append("\" y2=\"")
                .append(ty)
                .append("\"/>\n");
        html.append("<text x=\"-8\" y=\"")
                .append(ty)
                .append("\" class=\"label\" text-anchor=\"end\">")
                .append(number(threshold))
                .append("</text>\n<text x=\"-8\" y=\"10\" class=\"label\" text-anchor=\"end\">")
                .append(number(max))
                .append("</text>\n<text x=\"-8\" y=\"")
                .append(height)
                .append("\" class=\"label\" text-anchor=\"end\">0</text>\n<text x=\"0\" y=\"325\" class=\"label\">")
                .append(TimeText.utc(from))
                .append(" UTC</text>\n<text x=\"")
                .append(width)
                .append("\" y=\"325\" class=\"label\" text-anchor=\"end\">")
                .append(TimeText.utc(to))
                .append(" UTC</text>\n</svg>\n<p class=\"legend\"><span class=\"key per-second\"></span> requests in")
                .append(" the second <span class=\"key average\"></span> average over the ")
                .append(window)
                .append(" s window <span class=\"key threshold\"></span> threshold <span class=\"key alert-period\">")
                .append("</span> alert raised</p>\n");
    }

    private long at(long[] values, long second) {
        long i = second - base;
        return i < 0 || i >= values.length ? 0 : values[(int) i];
    }

    private static double y(double value, double max, int height) {
        return height - value / max * height;
    }

    private static String coordinate(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** From each raise to its recovery (or the end), clipped to the chart. */
    private List<long[]> alertPeriods(long from, long to) {
        List<long[]> periods = new ArrayList<>();
        long start = Long.MIN_VALUE;
        for (TrafficAlert alert : alerts) {
            if (alert.kind() == TrafficAlert.Kind.HIGH) {
                start = alert.epochSecond();
            } else if (start != Long.MIN_VALUE) {
                periods.add(new long[] {start, alert.epochSecond()});
                start = Long.MIN_VALUE;
            }
        }
        if (start != Long.MIN_VALUE && alertsLeftOut == 0) {
            periods.add(new long[] {start, to});
        }
        periods.removeIf(p -> p[1] < from || p[0] > to);
        periods.forEach(p -> {
            p[0] = Math.max(p[0], from);
            p[1] = Math.min(p[1], to);
        });
        return periods;
    }

    private void alertsTable(StringBuilder html) {
        html.append("<h2>Alerts</h2>\n<table id=\"alerts\"><thead><tr><th>type</th><th>time (UTC)</th>")
                .append("<th>epoch second</th><th>hits</th><th>rate</th><th>message</th></tr></thead><tbody>\n");
        for (TrafficAlert alert : alerts) {
            html.append("<tr class=\"")
                    .append(alert.kind() == TrafficAlert.Kind.HIGH ? "high" : "recovered")
                    .append("\"><td>")
                    .append(alert.kind().type())
                    .append("</td><td>")
                    .append(TimeText.utc(alert.epochSecond()))
                    .append("</td><td>")
                    .append(alert.epochSecond())
                    .append("</td><td>")
                    .append(alert.hits())
                    .append("</td><td>")
                    .append(number(alert.rate()))
                    .append("</td><td>")
                    .append(text(alert.message()))
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
        if (alertsLeftOut > 0) {
            html.append("<p class=\"note\">")
                    .append(alertsLeftOut)
                    .append(" more alerts and recoveries are not listed.</p>\n");
        }
        if (alerts.isEmpty()) {
            html.append("<p class=\"note\">No alert was raised.</p>\n");
        }
    }

    private static void table(StringBuilder html, String title, String column, Map<String, Long> rows, String id) {
        long all = rows.values().stream().mapToLong(Long::longValue).sum();
        html.append("<section><h2>")
                .append(title)
                .append("</h2>\n<table id=\"")
                .append(id)
                .append("\"><thead><tr><th>")
                .append(column)
                .append("</th><th>count</th><th>share</th></tr></thead><tbody>\n");
        rows.forEach((name, n) -> html.append("<tr><td>")
                .append(text(name))
                .append("</td><td class=\"n\">")
                .append(n)
                .append("</td><td class=\"n\"><span class=\"bar\" style=\"width:")
                .append(Math.round(all == 0 ? 0 : n * 100.0 / all))
                .append("%\"></span>")
                .append(String.format(Locale.ROOT, "%.1f%%", all == 0 ? 0.0 : n * 100.0 / all))
                .append("</td></tr>\n"));
        if (rows.isEmpty()) {
            html.append("<tr><td colspan=\"3\">none</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static Map<String, Long> top(Map<String, Long> counts) {
        return top(counts, TOP_ROWS);
    }

    private static Map<String, Long> top(Map<String, Long> counts, int rows) {
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(rows)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    /**
     * {@code value} as HTML text: escaped for the terminal first (controls and invisible characters shown as
     * escapes), then cut to {@value #MAX_TEXT} characters, then its markup characters escaped.
     */
    static String text(String value) {
        String shown = Printable.escape(value);
        if (shown.length() > MAX_TEXT) {
            shown = shown.substring(0, MAX_TEXT - 1) + "…";
        }
        StringBuilder out = new StringBuilder(shown.length() + 16);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;background:#fff}
            h1{font-size:1.4rem}h1 .source{font-weight:normal;color:#555}h2{font-size:1.1rem;margin-top:1.5rem}
            table{border-collapse:collapse;font-size:.9rem}th,td{padding:.2rem .6rem;text-align:left;\
            border-bottom:1px solid #eee;vertical-align:top}td{font-variant-numeric:tabular-nums;\
            word-break:break-all;max-width:40rem}
            .overview th{color:#555;font-weight:normal}
            .grid{display:flex;flex-wrap:wrap;gap:2rem}
            svg{width:100%;max-width:1100px;height:auto;border:1px solid #ddd;background:#fcfcfc}
            .per-second{fill:none;stroke:#8ab;stroke-width:1}.average{fill:none;stroke:#036;stroke-width:2}
            .threshold{stroke:#c00;stroke-width:1.5;stroke-dasharray:6 4}.axis{stroke:#999}
            .alert-period{fill:#f33;opacity:.15}.label{font-size:12px;fill:#555}
            .legend .key{display:inline-block;width:1.2rem;height:.6rem;margin:0 .3rem 0 1rem}
            .key.per-second{background:#8ab}.key.average{background:#036}.key.threshold{background:#c00}
            .key.alert-period{background:#f33;opacity:.3}
            .bar{display:inline-block;height:.6rem;background:#8ab;margin-right:.4rem;max-width:6rem}
            tr.high td:first-child{color:#c00;font-weight:bold}tr.recovered td:first-child{color:#070}
            .note{color:#666;font-size:.85rem}td.n{white-space:nowrap;word-break:normal}
            """;
}
