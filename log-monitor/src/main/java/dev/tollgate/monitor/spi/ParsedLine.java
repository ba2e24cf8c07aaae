package dev.tollgate.monitor.spi;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link LogLineParser} found in one line: text fields as ranges of byte arrays (UTF-8), plus
 * the epoch second, the status and the byte count. One instance is reused for every line of a log,
 * so reading allocates nothing per line; whoever needs a field beyond the current line copies it
 * ({@link #text}).
 *
 * <p>A parser sets {@link Field#HOST}, {@link Field#METHOD} and {@link Field#PATH} on every record;
 * the other fields only when the line has them (a {@code -} in Common Log Format means "absent").
 */
public final class ParsedLine {

    /** The text fields of a request line. */
    public enum Field {
        /** The client: an IP address or a host name. */
        HOST,
        /** The authenticated user. */
        USER,
        /** The HTTP method. */
        METHOD,
        /** The request target as written in the log: path and query. */
        PATH,
        /** The {@code Referer} header (Combined Log Format). */
        REFERER,
        /** The {@code User-Agent} header (Combined Log Format). */
        USER_AGENT
    }

    private static final int FIELD_COUNT = Field.values().length;

    private final byte[][] arrays = new byte[FIELD_COUNT][];
    private final int[] froms = new int[FIELD_COUNT];
    private final int[] tos = new int[FIELD_COUNT];
    private int present;
    private long epochSecond;
    private int status;
    private long bytes;
    private String problem = "";

    /** Forgets the previous line. */
    public void reset() {
        present = 0;
        epochSecond = 0;
        status = 0;
        bytes = 0;
        problem = "";
    }

    /** Sets {@code field} to {@code array[from, to)}; the array must not change until the next line. */
    public ParsedLine set(Field field, byte[] array, int from, int to) {
        Objects.checkFromToIndex(from, to, array.length);
        int i = index(field);
        arrays[i] = array;
        froms[i] = from;
        tos[i] = to;
        present |= 1 << i;
        return this;
    }

    /** Whether the line had {@code field}. */
    public boolean has(Field field) {
        return (present & (1 << index(field))) != 0;
    }

    /**
     * The array holding {@code field}; read it between {@link #from} and {@link #to}.
     *
     * @throws IllegalStateException when the line does not have the field
     */
    public byte[] array(Field field) {
        if (!has(field)) {
            throw new IllegalStateException("the line has no " + field);
        }
        return arrays[index(field)];
    }

    /** Where {@code field} starts in {@link #array}. */
    public int from(Field field) {
        return froms[index(field)];
    }

    /** Where {@code field} ends (exclusive) in {@link #array}. */
    public int to(Field field) {
        return tos[index(field)];
    }

    /** A copy of {@code field} as a string, when the line has it. */
    public Optional<String> text(Field field) {
        if (!has(field)) {
            return Optional.empty();
        }
        int i = index(field);
        return Optional.of(new String(arrays[i], froms[i], tos[i] - froms[i], StandardCharsets.UTF_8));
    }

    /** The request's time: whole seconds since 1970-01-01T00:00:00Z. */
    public long epochSecond() {
        return epochSecond;
    }

    public ParsedLine epochSecond(long epochSecond) {
        this.epochSecond = epochSecond;
        return this;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    public ParsedLine status(int status) {
        this.status = status;
        return this;
    }

    /** The size of the response body in bytes; 0 when the log says {@code -}. */
    public long bytes() {
        return bytes;
    }

    public ParsedLine bytes(long bytes) {
        this.bytes = bytes;
        return this;
    }

    /**
     * Marks the line as bad, with a reason a user understands ({@code "expected 7 fields, found 3"}).
     *
     * @return {@link ParseResult#BAD}, so that a parser can {@code return into.fail("...")}
     */
    public ParseResult fail(String problem) {
        this.problem = Objects.requireNonNull(problem, "problem");
        return ParseResult.BAD;
    }

    /** Why the line is bad; empty unless {@link #fail} was called since the last {@link #reset}. */
    public String problem() {
        return problem;
    }

    // the fields index the arrays by ordinal: no lookup on the per-line hot path
    @SuppressWarnings("EnumOrdinal")
    private static int index(Field field) {
        return field.ordinal();
    }
}
