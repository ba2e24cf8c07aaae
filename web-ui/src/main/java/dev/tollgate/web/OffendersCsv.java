package dev.tollgate.web;

import dev.tollgate.events.Offender;
import java.util.List;

/**
 * The offenders report as CSV: header {@code key,blocked_count} (enforced blocks), or {@code key,shadow_blocked_count}
 * for the would-be offenders of shadow rules, CRLF line ends, fields quoted as RFC 4180 says, and a {@code '} before
 * a key that a spreadsheet would take for a formula (one starting with {@code = + - @}, a tab or a carriage return).
 */
final class OffendersCsv {

    static final String HEADER = "key,blocked_count";
    static final String FILE_NAME = "ratelimit_offenders.csv";
    static final String SHADOW_HEADER = "key,shadow_blocked_count";
    static final String SHADOW_FILE_NAME = "ratelimit_shadow_offenders.csv";
    static final int MAX_ROWS = 1000;

    private OffendersCsv() {}

    /** The offenders ranked by enforced blocks, under {@link #HEADER}. */
    static String render(List<Offender> offenders) {
        return render(HEADER, offenders);
    }

    /** The offenders of a ranking under {@code header}. */
    static String render(String header, List<Offender> offenders) {
        StringBuilder out =
                new StringBuilder(32 + offenders.size() * 32).append(header).append("\r\n");
        for (Offender offender : offenders) {
            out.append(field(defused(offender.key())))
                    .append(',')
                    .append(offender.blockedCount())
                    .append("\r\n");
        }
        return out.toString();
    }

    /** {@code key} with a {@code '} before it when a spreadsheet would run it as a formula. */
    static String defused(String key) {
        if (key.isEmpty()) {
            return key;
        }
        char first = key.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + key
                : key;
    }

    /** {@code value} as an RFC 4180 field: quoted, with quotes doubled, when it holds a comma, quote, CR or LF. */
    static String field(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return '"' + value.replace("\"", "\"\"") + '"';
            }
        }
        return value;
    }
}
