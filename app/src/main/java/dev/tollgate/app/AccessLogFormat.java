package dev.tollgate.app;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the access log spells a request: the Combined Log Format, or the CSV format {@code tollgate monitor} reads.
 * Both add the rule, the outcome and the duration after the fields the monitor reads, where its parsers ignore them.
 *
 * <p>Client text is escaped as nginx escapes it: a quote, a backslash and every byte outside printable ASCII (control
 * characters, DEL and every non-ASCII byte) become {@code \xHH}, so that a line is always one
 * line of ASCII and no field can end early. A character up to U+00FF is taken as the byte it is (HTTP headers arrive
 * a byte per character); a wider one is escaped byte by byte in UTF-8. Spaces are escaped too in the fields that spaces separate.
 */
enum AccessLogFormat {
    /** {@code host - - [date] "request" status bytes "referer" "user agent" rule="r" outcome=o ms=n}. */
    COMBINED("combined") {
        @Override
        Optional<String> header() {
            return Optional.empty();
        }

        @Override
        String line(AccessLogEntry e) {
            StringBuilder b = new StringBuilder(160);
            escape(b, e.host(), true);
            b.append(" - - [").append(CLF_DATE.format(e.time())).append("] \"");
            request(b, e);
            b.append("\" ").append(e.status()).append(' ').append(e.bytes()).append(" \"");
            escape(b, e.referer(), false);
            b.append("\" \"");
            escape(b, e.userAgent(), false);
            b.append("\" rule=\"");
            escape(b, e.rule(), false);
            b.append("\" outcome=");
            escape(b, e.outcome(), true);
            b.append(" ms=").append(e.durationMillis());
            return b.toString();
        }
    },
    /** The monitor's CSV columns, then {@code referer}, {@code useragent}, {@code rule}, {@code outcome}, {@code ms}. */
    CSV("csv") {
        @Override
        Optional<String> header() {
            return Optional.of(
                    "\"remotehost\",\"rfc931\",\"authuser\",\"date\",\"request\",\"status\",\"bytes\",\"referer\","
                            + "\"useragent\",\"rule\",\"outcome\",\"ms\"");
        }

        @Override
        String line(AccessLogEntry e) {
            StringBuilder b = new StringBuilder(160);
            b.append('"');
            escape(b, e.host(), true);
            b.append("\",\"-\",\"-\",").append(e.time().getEpochSecond()).append(",\"");
            request(b, e);
            b.append("\",").append(e.status()).append(',').append(e.bytes()).append(",\"");
            escape(b, e.referer(), false);
            b.append("\",\"");
            escape(b, e.userAgent(), false);
            b.append("\",\"");
            escape(b, e.rule(), false);
            b.append("\",\"");
            escape(b, e.outcome(), false);
            b.append("\",").append(e.durationMillis());
            return b.toString();
        }
    };

    private static final DateTimeFormatter CLF_DATE = DateTimeFormatter.ofPattern(
                    "dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String formatName;

    AccessLogFormat(String formatName) {
        this.formatName = formatName;
    }

    /** The name {@code accessLog.format} takes. */
    String formatName() {
        return formatName;
    }

    /** The names {@code accessLog.format} takes, the default first. */
    static List<String> names() {
        return List.of(COMBINED.formatName, CSV.formatName);
    }

    static AccessLogFormat named(String name) {
        for (AccessLogFormat format : values()) {
            if (format.formatName.equals(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown access log format " + name);
    }

    /** The line each file starts with, if the format has one. */
    abstract Optional<String> header();

    /** The line for {@code entry}, without its line end. */
    abstract String line(AccessLogEntry entry);

    private static void request(StringBuilder b, AccessLogEntry e) {
        escape(b, e.method(), true);
        b.append(' ');
        escape(b, e.uri(), true);
        b.append(' ');
        escape(b, e.protocol(), true);
    }

    /** Appends {@code text} with every character but printable ASCII (and a space, unless {@code spaces}) escaped. */
    static void escape(StringBuilder b, String text, boolean spaces) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > ' ' && c < 0x7f && c != '"' && c != '\\') {
                b.append(c);
            } else if (c == ' ' && !spaces) {
                b.append(c);
            } else if (c <= 0xff) {
                // HTTP headers reach Vert.x a byte per character
                hex(b, c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < text.length() ? i + 2 : i + 1;
                for (byte x : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    hex(b, x & 0xff);
                }
                i = end - 1;
            }
        }
    }

    private static void hex(StringBuilder b, int value) {
        b.append("\\x").append(HEX[value >> 4]).append(HEX[value & 0xf]);
    }
}
