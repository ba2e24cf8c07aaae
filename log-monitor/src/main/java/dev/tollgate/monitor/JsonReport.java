package dev.tollgate.monitor;

import io.vertx.core.json.JsonObject;

/**
 * The report as JSON lines: one object per chunk, per alert, and the summary. The JSON encoder escapes
 * C0 controls; DEL, C1 controls, the Unicode line separators and the bidirectional controls, which it
 * writes raw, are escaped here too, so that no text from the log reaches a terminal raw.
 */
final class JsonReport implements MonitorListener {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final ReportWriter writer;

    JsonReport(ReportWriter writer) {
        this.writer = writer;
    }

    @Override
    public void onChunk(ChunkReport chunk) {
        writer.write(line(chunk.toJson()));
    }

    @Override
    public void onAlert(TrafficAlert alert) {
        writer.write(line(alert.toJson()));
        writer.flush();
    }

    @Override
    public void onFinish(MonitorSummary summary) {
        writer.write(line(summary.toJson()));
        writer.flush();
    }

    /**
     * {@code json} encoded on one line, ending with a line break. Those characters can only be inside
     * its strings, where <code>&#92;uXXXX</code> means the same.
     */
    static String line(JsonObject json) {
        String encoded = json.encode();
        StringBuilder out = null;
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            boolean unsafe = (c >= 0x7f && c <= 0x9f)
                    || c == 0x2028
                    || c == 0x2029
                    || c == 0x061c
                    || c == 0x200e
                    || c == 0x200f
                    || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069);
            if (unsafe && out == null) {
                out = new StringBuilder(encoded.length() + 16).append(encoded, 0, i);
            }
            if (out != null) {
                if (unsafe) {
                    out.append("\\u")
                            .append(HEX[c >> 12])
                            .append(HEX[(c >> 8) & 0xf])
                            .append(HEX[(c >> 4) & 0xf])
                            .append(HEX[c & 0xf]);
                } else {
                    out.append(c);
                }
            }
        }
        return (out == null ? encoded : out.toString()) + "\n";
    }
}
