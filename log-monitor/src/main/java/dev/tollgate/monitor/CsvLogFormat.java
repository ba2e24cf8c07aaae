package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogFormatProvider;
import dev.tollgate.monitor.spi.LogLineParser;
import dev.tollgate.monitor.spi.ParseResult;
import dev.tollgate.monitor.spi.ParsedLine;
import dev.tollgate.monitor.spi.ParsedLine.Field;
import java.util.Optional;

/**
 * The CSV access log, format name {@code csv}: a header
 * {@code "remotehost","rfc931","authuser","date","request","status","bytes"}, then one request per line
 * with {@code date} in Unix epoch seconds and {@code request} as {@code METHOD PATH PROTOCOL}.
 *
 * <p>Fields follow RFC 4180: a quoted field may hold commas and doubled quotes ({@code ""}). A header
 * line (first field {@code remotehost}) is skipped and sets the column order for the lines after it,
 * so columns may come in any order and extra columns are ignored; without a header the order above
 * is assumed. A quoted field cannot span lines.
 */
public final class CsvLogFormat implements LogFormatProvider {

    /** The format's name. */
    public static final String NAME = "csv";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "CSV with the columns remotehost, rfc931, authuser, date (epoch seconds), request, status, bytes";
    }

    @Override
    public LogLineParser create() {
        return new Parser(Columns.WITHOUT_HEADER);
    }

    /** The parser carries the column order of the latest header; a part of a log resumes with it. */
    @Override
    public Optional<LogLineParser> resume(Object state) {
        return state instanceof Columns columns ? Optional.of(new Parser(columns)) : Optional.empty();
    }

    /** Where the fields are: the order without a header, or the latest header's; -1 for an absent authuser. */
    private record Columns(int count, int host, int user, int date, int request, int status, int bytes) {
        static final Columns WITHOUT_HEADER = new Columns(7, 0, 2, 3, 4, 5, 6);
    }

    private static final class Parser implements LogLineParser {

        private static final int MAX_FIELDS = 64;

        private final int[] starts = new int[MAX_FIELDS];
        private final int[] ends = new int[MAX_FIELDS];
        private final byte[][] arrays = new byte[MAX_FIELDS][];
        private byte[] scratch = new byte[256];
        private int scratchLength;

        private int columns;
        private int hostColumn;
        private int userColumn;
        private int dateColumn;
        private int requestColumn;
        private int statusColumn;
        private int bytesColumn;

        Parser(Columns start) {
            columns = start.count();
            hostColumn = start.host();
            userColumn = start.user();
            dateColumn = start.date();
            requestColumn = start.request();
            statusColumn = start.status();
            bytesColumn = start.bytes();
        }

        @Override
        public Object state() {
            return new Columns(columns, hostColumn, userColumn, dateColumn, requestColumn, statusColumn, bytesColumn);
        }

        @Override
        public ParseResult parse(byte[] b, int from, int to, ParsedLine into) {
            int count = split(b, from, to, into);
            if (count < 0) {
                return ParseResult.BAD;
            }
            if (isHeader()) {
                return readHeader(count, into);
            }
            if (count != columns) {
                return into.fail("expected " + columns + " fields, found " + count);
            }
            if (ends[hostColumn] == starts[hostColumn]) {
                return into.fail("the remotehost field is empty");
            }
            into.set(Field.HOST, arrays[hostColumn], starts[hostColumn], ends[hostColumn]);
            if (userColumn >= 0) {
                byte[] a = arrays[userColumn];
                int s = starts[userColumn];
                int e = ends[userColumn];
                if (e > s && !(e - s == 1 && a[s] == '-')) {
                    into.set(Field.USER, a, s, e);
                }
            }
            if (!parseDate(arrays[dateColumn], starts[dateColumn], ends[dateColumn], into)) {
                return ParseResult.BAD;
            }
            if (!Ascii.parseRequest(arrays[requestColumn], starts[requestColumn], ends[requestColumn], into)
                    || !Ascii.parseStatus(arrays[statusColumn], starts[statusColumn], ends[statusColumn], into)
                    || !Ascii.parseByteCount(arrays[bytesColumn], starts[bytesColumn], ends[bytesColumn], into)) {
                return ParseResult.BAD;
            }
            return ParseResult.RECORD;
        }

        /** Splits the line into fields; returns their number, or -1 after failing {@code into}. */
        private int split(byte[] b, int from, int to, ParsedLine into) {
            scratchLength = 0;
            int count = 0;
            int p = from;
            while (true) {
                if (count == MAX_FIELDS) {
                    into.fail("more than " + MAX_FIELDS + " fields");
                    return -1;
                }
                if (p < to && b[p] == '"') {
                    int start = p + 1;
                    int q = start;
                    boolean doubled = false;
                    while (true) {
                        q = Ascii.indexOf(b, q, to, (byte) '"');
                        if (q >= to) {
                            into.fail("field " + (count + 1) + " opens a quote that is never closed");
                            return -1;
                        }
                        if (q + 1 < to && b[q + 1] == '"') {
                            doubled = true;
                            q += 2;
                            continue;
                        }
                        break;
                    }
                    if (doubled) {
                        unquote(b, start, q, count);
                    } else {
                        arrays[count] = b;
                        starts[count] = start;
                        ends[count] = q;
                    }
                    p = q + 1;
                    if (p < to && b[p] != ',') {
                        into.fail("field " + (count + 1) + " has text after its closing quote");
                        return -1;
                    }
                } else {
                    int start = p;
                    p = Ascii.indexOf(b, p, to, (byte) ',');
                    arrays[count] = b;
                    starts[count] = start;
                    ends[count] = p;
                }
                count++;
                if (p >= to) {
                    return count;
                }
                p++;
            }
        }

        /** Copies a quoted field into the scratch array, turning each {@code ""} into {@code "}. */
        private void unquote(byte[] b, int from, int to, int field) {
            if (scratch.length - scratchLength < to - from) {
                // earlier fields keep pointing at the old array, which stays valid
                scratch = new byte[Math.max(scratch.length * 2, scratchLength + to - from)];
                scratchLength = 0;
            }
            int start = scratchLength;
            int w = start;
            for (int i = from; i < to; i++) {
                scratch[w++] = b[i];
                if (b[i] == '"') {
                    i++;
                }
            }
            arrays[field] = scratch;
            starts[field] = start;
            ends[field] = w;
            scratchLength = w;
        }

        private boolean isHeader() {
            byte[] a = arrays[0];
            int s = starts[0];
            return ends[0] - s == 10
                    && (a[s] == 'r' || a[s] == 'R')
                    && Ascii.equalsIgnoreCase(a, s, ends[0], "remotehost");
        }

        private ParseResult readHeader(int count, ParsedLine into) {
            int host = -1;
            int user = -1;
            int date = -1;
            int request = -1;
            int status = -1;
            int bytes = -1;
            for (int i = 0; i < count; i++) {
                byte[] a = arrays[i];
                int s = starts[i];
                int e = ends[i];
                if (Ascii.equalsIgnoreCase(a, s, e, "remotehost")) {
                    host = i;
                } else if (Ascii.equalsIgnoreCase(a, s, e, "authuser")) {
                    user = i;
                } else if (Ascii.equalsIgnoreCase(a, s, e, "date")) {
                    date = i;
                } else if (Ascii.equalsIgnoreCase(a, s, e, "request")) {
                    request = i;
                } else if (Ascii.equalsIgnoreCase(a, s, e, "status")) {
                    status = i;
                } else if (Ascii.equalsIgnoreCase(a, s, e, "bytes")) {
                    bytes = i;
                }
            }
            if (date < 0 || request < 0 || status < 0 || bytes < 0) {
                return into.fail("the header lacks one of the columns date, request, status, bytes");
            }
            columns = count;
            hostColumn = host;
            userColumn = user;
            dateColumn = date;
            requestColumn = request;
            statusColumn = status;
            bytesColumn = bytes;
            return ParseResult.SKIP;
        }

        /** Epoch seconds, with an optional fraction that is dropped. */
        private static boolean parseDate(byte[] b, int from, int to, ParsedLine into) {
            int end = from;
            while (end < to && b[end] != '.') {
                end++;
            }
            long seconds = Ascii.parseNumber(b, from, end);
            if (seconds == Ascii.NOT_A_NUMBER || (end < to && Ascii.parseNumber(b, end + 1, to) < 0)) {
                into.fail("the date '" + Ascii.show(b, from, to) + "' is not a number of epoch seconds");
                return false;
            }
            into.epochSecond(seconds);
            return true;
        }
    }
}
