package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogLineParser;
import dev.tollgate.monitor.spi.ParseResult;
import dev.tollgate.monitor.spi.ParsedLine;
import dev.tollgate.monitor.spi.ParsedLine.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The lines of one part of a file, parsed on a worker thread and kept until the reading thread takes them in order
 * ({@link #replay}). Every line the splitter hands over is one entry, numbered from 1 within the part: blank, too
 * long, or what the parser made of it. A line's bytes and its fields stay where they are when they are in the part's
 * own array (the {@code source} the block is made with); the rest (fields a parser rewrote into arrays of its own,
 * lines from a splitter's reused buffer) are copied to an arena. A range in the arena is kept as
 * {@code -(from + 1), to}.
 */
final class ParsedBlock implements ParallelReader.PartSink {

    private static final byte BLANK = 0;
    private static final byte TOO_LONG = 1;
    private static final byte RECORD = 2;
    private static final byte SKIP = 3;
    private static final byte BAD = 4;

    private static final Field[] FIELDS = Field.values();
    private static final int FIELD_COUNT = FIELDS.length;

    /** Bytes of a log per line, about, to size the arrays for a part. */
    private static final int BYTES_PER_LINE = 64;

    private final LogLineParser parser;
    private final boolean first;
    private final byte[] source;
    private final ParsedLine parsed = new ParsedLine();

    private int count;
    private byte[] kinds;
    private long[] seconds;
    private int[] statuses;
    private long[] sizes;
    /** Per entry: where its line's bytes start, where they end, then the fields' from and to. */
    private int[] offsets;

    private int[] presence;
    private final List<String> problems = new ArrayList<>();
    private int[] problemOf;
    private byte[] arena = new byte[1 << 12];
    private int used;
    private long bytesRead;

    /**
     * Entries for the part of a log {@code parser} starts in, whose bytes are {@code source} (kept, not copied), or
     * null when the lines come from elsewhere; {@code first}: the part the log begins with; {@code expectedBytes}:
     * the part's size, to size the arrays.
     */
    ParsedBlock(LogLineParser parser, boolean first, byte[] source, int expectedBytes) {
        this.parser = parser;
        this.first = first;
        this.source = source;
        int capacity = Math.max(64, expectedBytes / BYTES_PER_LINE);
        kinds = new byte[capacity];
        seconds = new long[capacity];
        statuses = new int[capacity];
        sizes = new long[capacity];
        offsets = new int[capacity * (2 + 2 * FIELD_COUNT)];
        presence = new int[capacity];
        problemOf = new int[capacity];
    }

    /** The array the part was read into, unless its lines came from elsewhere. */
    Optional<byte[]> source() {
        return Optional.ofNullable(source);
    }

    /** The parser, in the state the part's last line left it in. */
    LogLineParser parser() {
        return parser;
    }

    /** Lines in the part. */
    int lines() {
        return count;
    }

    long bytesRead() {
        return bytesRead;
    }

    @Override
    public void bytesRead(long bytes) {
        bytesRead = bytes;
    }

    @Override
    public void line(byte[] b, int from, int to, long number) {
        if (first) {
            from = Ingest.afterByteOrderMark(b, from, to, number);
        }
        if (Ascii.isBlank(b, from, to)) {
            blank(number);
            return;
        }
        parsed.reset();
        parsed(number, parser.parse(b, from, to, parsed), parsed, b, from, to);
    }

    /** Line {@code number} is blank. */
    void blank(long number) {
        int i = next(number);
        kinds[i] = BLANK;
    }

    /** Line {@code number}, {@code b[from, to)}, is what {@code result} and {@code line} say, parsed elsewhere. */
    void parsed(long number, ParseResult result, ParsedLine line, byte[] b, int from, int to) {
        int i = next(number);
        int base = i * (2 + 2 * FIELD_COUNT);
        keep(b, from, to, base);
        switch (result) {
            case RECORD -> {
                kinds[i] = RECORD;
                seconds[i] = line.epochSecond();
                statuses[i] = line.status();
                sizes[i] = line.bytes();
                int present = 0;
                for (int f = 0; f < FIELD_COUNT; f++) {
                    Field field = FIELDS[f];
                    if (line.has(field)) {
                        present |= 1 << f;
                        keep(line.array(field), line.from(field), line.to(field), base + 2 + 2 * f);
                    }
                }
                presence[i] = present;
            }
            case SKIP -> kinds[i] = SKIP;
            case BAD -> {
                kinds[i] = BAD;
                problemOf[i] = problems.size();
                problems.add(line.problem());
            }
        }
    }

    @Override
    public void tooLong(long number) {
        // the index first: next may grow kinds
        int i = next(number);
        kinds[i] = TOO_LONG;
    }

    /**
     * Hands the entries to {@code ingest} in order, as lines {@code firstNumber}, {@code firstNumber + 1}, …, as if
     * {@code ingest} had split and parsed them itself.
     */
    void replay(Ingest ingest, long firstNumber) {
        replay(ingest, firstNumber, 0);
    }

    /** Hands the entries from the {@code from}-th on (counted from 0) to {@code ingest}, as {@link #replay} does. */
    void replay(Ingest ingest, long firstNumber, int from) {
        ParsedLine line = new ParsedLine();
        for (int i = from; i < count; i++) {
            long number = firstNumber + i;
            int base = i * (2 + 2 * FIELD_COUNT);
            switch (kinds[i]) {
                case BLANK -> ingest.blank(number);
                case TOO_LONG -> ingest.tooLong(number);
                case SKIP -> {
                    line.reset();
                    ingest.parsed(ParseResult.SKIP, line, array(base), from(base), offsets[base + 1], number);
                }
                case BAD -> {
                    line.reset();
                    line.fail(problems.get(problemOf[i]));
                    ingest.parsed(ParseResult.BAD, line, array(base), from(base), offsets[base + 1], number);
                }
                default -> {
                    line.reset();
                    line.epochSecond(seconds[i]).status(statuses[i]).bytes(sizes[i]);
                    int present = presence[i];
                    for (int f = 0; f < FIELD_COUNT; f++) {
                        if ((present & (1 << f)) != 0) {
                            int at = base + 2 + 2 * f;
                            line.set(FIELDS[f], array(at), from(at), offsets[at + 1]);
                        }
                    }
                    ingest.parsed(ParseResult.RECORD, line, array(base), from(base), offsets[base + 1], number);
                }
            }
        }
    }

    /** The next entry's index, growing the arrays when full; the splitter numbers lines from 1 within the part. */
    private int next(long number) {
        if (number != count + 1) {
            throw new IllegalStateException("line " + number + " after " + count);
        }
        if (count == kinds.length) {
            int size = count * 2;
            kinds = Arrays.copyOf(kinds, size);
            seconds = Arrays.copyOf(seconds, size);
            statuses = Arrays.copyOf(statuses, size);
            sizes = Arrays.copyOf(sizes, size);
            offsets = Arrays.copyOf(offsets, size * (2 + 2 * FIELD_COUNT));
            presence = Arrays.copyOf(presence, size);
            problemOf = Arrays.copyOf(problemOf, size);
        }
        return count++;
    }

    /** Keeps the range {@code b[from, to)} at {@code offsets[at]}, {@code offsets[at + 1]}: in place, or copied. */
    private void keep(byte[] b, int from, int to, int at) {
        if (b == source) {
            offsets[at] = from;
            offsets[at + 1] = to;
            return;
        }
        int length = to - from;
        if (used + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, used + length));
        }
        System.arraycopy(b, from, arena, used, length);
        offsets[at] = -(used + 1);
        used += length;
        offsets[at + 1] = used;
    }

    /** The array the range at {@code offsets[at]} is in. */
    private byte[] array(int at) {
        return offsets[at] < 0 ? arena : source;
    }

    /** Where the range at {@code offsets[at]} starts in its array. */
    private int from(int at) {
        int from = offsets[at];
        return from < 0 ? -from - 1 : from;
    }
}
