package dev.tollgate.monitor;

import dev.tollgate.core.Printable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as aligned text for people: a block per chunk, a line per alert, the summary. Text that
 * came from the log (sections, methods, hosts) is escaped with {@link Printable#escape}, so that no
 * line of the log can write a control character to the terminal or forge a line of the report.
 */
final class TextReport implements MonitorListener {

    private static final String INDENT = "  ";
    private static final String CONTINUATION = INDENT + " ".repeat(10);
    private static final String SPACES = " ".repeat(32);

    private final ReportWriter writer;

    TextReport(ReportWriter writer) {
        this.writer = writer;
    }

    @Override
    public void onChunk(ChunkReport chunk) {
        StringBuilder text = new StringBuilder(512);
        range(text, chunk.firstSecond(), chunk.lastSecond()).append("  [").append(chunk.firstSecond());
        if (chunk.lastSecond() != chunk.firstSecond()) {
            text.append(" .. ").append(chunk.lastSecond());
        }
        text.append(']');
        if (!chunk.complete()) {
            text.append("  (partial)");
        }
        if (chunk.requests() == 0) {
            writer.write(text.append("  no requests\n\n").toString());
            return;
        }
        text.append('\n');
        grouped(label(text, "requests"), chunk.requests()).append(" in ");
        grouped(text, chunk.seconds()).append(" s (");
        oneDecimal(text, chunk.rate()).append("/s), ");
        grouped(text, chunk.bytes()).append(" bytes\n");
        table(label(text, "sections"), chunk.sections());
        counts(label(text, "methods"), chunk.methods());
        statuses(label(text, "status"), chunk.statusClasses(), chunk.statusCodes(), CONTINUATION);
        table(label(text, "hosts"), chunk.hosts());
        writer.write(text.append('\n').toString());
    }

    @Override
    public void onAlert(TrafficAlert alert) {
        writer.write(alert.message() + "\n\n");
        writer.flush();
    }

    @Override
    public void onFinish(MonitorSummary summary) {
        StringBuilder text = new StringBuilder(256);
        label(text, "summary")
                .append(counted(summary.lines(), "line", "lines"))
                .append(": ")
                .append(counted(summary.records(), "request", "requests"))
                .append(", ")
                .append(grouped(summary.badLines()))
                .append(" bad, ")
                .append(grouped(summary.lateLines()))
                .append(" late\n");
        text.append(CONTINUATION)
                .append(counted(summary.alerts(), "alert", "alerts"))
                .append(", ")
                .append(counted(summary.recoveries(), "recovery", "recoveries"))
                .append('\n');
        if (!summary.statusClasses().isEmpty()) {
            statuses(
                    text.append(CONTINUATION).append("status "),
                    summary.statusClasses(),
                    summary.statusCodes(),
                    CONTINUATION + " ".repeat("status ".length()));
        }
        if (summary.firstSecond().isPresent() && summary.lastSecond().isPresent()) {
            long first = summary.firstSecond().getAsLong();
            long last = summary.lastSecond().getAsLong();
            text.append(CONTINUATION)
                    .append("log time ")
                    .append(first)
                    .append(" .. ")
                    .append(last)
                    .append(" (");
            range(text, first, last).append(")\n");
        }
        text.append(CONTINUATION);
        summary.format().ifPresent(f -> text.append("format ").append(f).append(", "));
        text.append(
                String.format(Locale.ROOT, "read in %.2f s\n", summary.elapsed().toMillis() / 1000.0));
        writer.write(text.toString());
        writer.flush();
    }

    /** Appends {@code 2019-02-07 21:11:00 .. 21:11:09 UTC}, the date written once when it is the same. */
    static StringBuilder range(StringBuilder text, long first, long last) {
        String from = TimeText.utc(first);
        text.append(from);
        if (first == last) {
            return text.append(" UTC");
        }
        String to = TimeText.utc(last);
        text.append(" .. ");
        if (from.regionMatches(0, to, 0, 10)) {
            text.append(to, 11, to.length());
        } else {
            text.append(to);
        }
        return text.append(" UTC");
    }

    private static StringBuilder label(StringBuilder text, String label) {
        text.append(INDENT).append(label);
        return pad(text, 10 - label.length());
    }

    private static void table(StringBuilder text, List<TopEntry> rows) {
        int n = rows.size();
        String[] names = new String[n];
        String[] hits = new String[n];
        int nameWidth = 0;
        int hitsWidth = 0;
        for (int i = 0; i < n; i++) {
            TopEntry row = rows.get(i);
            names[i] = Printable.escape(row.name());
            hits[i] = grouped(row.hits());
            nameWidth = Math.max(nameWidth, names[i].length());
            hitsWidth = Math.max(hitsWidth, hits[i].length());
        }
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                text.append(CONTINUATION);
            }
            row(text, names[i], nameWidth, hits[i], hitsWidth, rows.get(i).share());
        }
    }

    /** One row of a table: the name, the hits right-aligned after it, the share right-aligned in 5 columns. */
    private static void row(StringBuilder text, String name, int nameWidth, String hits, int hitsWidth, double share) {
        String percent = oneDecimal(share * 100);
        pad(text.append(name), nameWidth - name.length() + 2 + hitsWidth - hits.length())
                .append(hits);
        pad(text, 2 + 5 - percent.length()).append(percent).append("%\n");
    }

    private static void counts(StringBuilder text, Map<?, Long> counts) {
        String separator = "";
        for (Map.Entry<?, Long> count : counts.entrySet()) {
            text.append(separator)
                    .append(Printable.escape(count.getKey().toString()))
                    .append(' ');
            grouped(text, count.getValue());
            separator = "   ";
        }
        text.append('\n');
    }

    /** {@code 2xx 76   4xx 10}, then on the next line, after {@code indent}, {@code 200 76   401 2   404 8}. */
    private static void statuses(
            StringBuilder text, Map<String, Long> classes, Map<Integer, Long> codes, String indent) {
        counts(text, classes);
        if (!codes.isEmpty()) {
            counts(text.append(indent), codes);
        }
    }

    private static StringBuilder pad(StringBuilder text, int spaces) {
        for (int left = spaces; left > 0; left -= SPACES.length()) {
            text.append(SPACES, 0, Math.min(left, SPACES.length()));
        }
        return text;
    }

    /** {@code 1234567} as {@code 1,234,567}; {@link String#format} is too slow for a report per chunk. */
    static String grouped(long value) {
        return grouped(new StringBuilder(26), value).toString();
    }

    /** Appends {@code value} as {@link #grouped(long)} writes it. */
    static StringBuilder grouped(StringBuilder text, long value) {
        String digits = Long.toString(Math.abs(value));
        if (value < 0) {
            text.append('-');
        }
        int head = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        text.append(digits, 0, head);
        for (int i = head; i < digits.length(); i += 3) {
            text.append(',').append(digits, i, i + 3);
        }
        return text;
    }

    private static String counted(long count, String one, String many) {
        return grouped(count) + " " + (count == 1 ? one : many);
    }

    /** {@code value} rounded to one decimal: {@code 78.7}. */
    static String oneDecimal(double value) {
        return oneDecimal(new StringBuilder(24), value).toString();
    }

    /** Appends {@code value} as {@link #oneDecimal(double)} writes it. */
    static StringBuilder oneDecimal(StringBuilder text, double value) {
        long tenths = Math.round(value * 10);
        if (tenths < 0) {
            text.append('-');
        }
        return text.append(Math.abs(tenths) / 10).append('.').append(Math.abs(tenths) % 10);
    }
}
