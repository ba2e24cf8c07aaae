package dev.tollgate.monitor;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report as aligned text for people: a block per chunk, a line per alert, the summary. */
final class TextReport implements MonitorListener {

    private static final String INDENT = "  ";
    private static final String CONTINUATION = INDENT + " ".repeat(10);

    private final ReportWriter writer;

    TextReport(ReportWriter writer) {
        this.writer = writer;
    }

    @Override
    public void onChunk(ChunkReport chunk) {
        StringBuilder text = new StringBuilder(512);
        text.append(range(chunk.firstSecond(), chunk.lastSecond())).append("  [").append(chunk.firstSecond());
        if (chunk.lastSecond() != chunk.firstSecond()) {
            text.append(" .. ").append(chunk.lastSecond());
        }
        text.append(']');
        if (!chunk.complete()) {
            text.append("  (input ended)");
        }
        if (chunk.requests() == 0) {
            writer.write(text.append("  no requests\n\n").toString());
            return;
        }
        text.append('\n');
        label(text, "requests").append(String.format(Locale.ROOT, "%,d in %,d s (%.1f/s), %,d bytes\n",
                chunk.requests(), chunk.seconds(), chunk.rate(), chunk.bytes()));
        table(label(text, "sections"), chunk.sections());
        counts(label(text, "methods"), chunk.methods());
        counts(label(text, "status"), chunk.statusClasses());
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
        label(text, "summary").append(String.format(Locale.ROOT, "%,d lines: %,d requests, %,d bad, %,d late\n",
                summary.lines(), summary.records(), summary.badLines(), summary.lateLines()));
        text.append(CONTINUATION).append(String.format(Locale.ROOT, "%,d alert%s, %,d recover%s\n",
                summary.alerts(), summary.alerts() == 1 ? "" : "s",
                summary.recoveries(), summary.recoveries() == 1 ? "y" : "ies"));
        if (summary.firstSecond().isPresent() && summary.lastSecond().isPresent()) {
            long first = summary.firstSecond().getAsLong();
            long last = summary.lastSecond().getAsLong();
            text.append(CONTINUATION).append("log time ").append(first).append(" .. ").append(last)
                    .append(" (").append(range(first, last)).append(")\n");
        }
        text.append(CONTINUATION);
        summary.format().ifPresent(f -> text.append("format ").append(f).append(", "));
        text.append(String.format(Locale.ROOT, "read in %.2f s\n", summary.elapsed().toMillis() / 1000.0));
        writer.write(text.toString());
        writer.flush();
    }

    /** {@code 2019-02-07 21:11:00 .. 21:11:09 UTC}, the date written once when it is the same. */
    static String range(long first, long last) {
        String from = TimeText.utc(first);
        if (first == last) {
            return from + " UTC";
        }
        String to = TimeText.utc(last);
        if (from.regionMatches(0, to, 0, 10)) {
            to = TimeText.clock(last);
        }
        return from + " .. " + to + " UTC";
    }

    private static StringBuilder label(StringBuilder text, String label) {
        return text.append(INDENT).append(String.format(Locale.ROOT, "%-10s", label));
    }

    private static void table(StringBuilder text, List<TopEntry> rows) {
        int nameWidth = 0;
        int hitsWidth = 0;
        for (TopEntry row : rows) {
            nameWidth = Math.max(nameWidth, row.name().length());
            hitsWidth = Math.max(hitsWidth, String.format(Locale.ROOT, "%,d", row.hits()).length());
        }
        String format = "%-" + nameWidth + "s  %," + hitsWidth + "d  %5.1f%%\n";
        for (int i = 0; i < rows.size(); i++) {
            TopEntry row = rows.get(i);
            if (i > 0) {
                text.append(CONTINUATION);
            }
            text.append(String.format(Locale.ROOT, format, row.name(), row.hits(), row.share() * 100));
        }
    }

    private static void counts(StringBuilder text, Map<String, Long> counts) {
        String separator = "";
        for (Map.Entry<String, Long> count : counts.entrySet()) {
            text.append(separator).append(count.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%,d", count.getValue()));
            separator = "   ";
        }
        text.append('\n');
    }
}
