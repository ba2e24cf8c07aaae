package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogLineParser;
import dev.tollgate.monitor.spi.ParseResult;
import dev.tollgate.monitor.spi.ParsedLine;
import dev.tollgate.monitor.spi.ParsedLine.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of one part of a file, parsed on a worker thread and kept, with copies of their bytes, until the
 * reading thread takes them in order ({@link #replay}). Every line the splitter hands over is one entry, numbered
 * from 1 within the part: blank, too long, or what the parser made of it.
 */
final class ParsedBlock implements LineSplitter.LineSink {

    private static final byte BLANK = 0;
    private static final byte TOO_LONG = 1;
    private static final byte RECORD = 2;
    private static final byte SKIP = 3;
    private static final byte BAD = 4;

    private static final Field[] FIELDS = Field.values();
    private static final int FIELD_COUNT = FIELDS.length;

    private final LogLineParser parser;
    private final boolean first;
    private final ParsedLine parsed = new ParsedLine();

    private int count;
    private byte[] kinds = new byte[1024];
    private long[] seconds = new long[1024];
    private int[] statuses = new int[1024];
    private long[] sizes = new long[1024];
    /** Per entry: where its line's bytes start in {@link #arena}, where they end, then the fields' from and to. */
    private int[] offsets = new int[1024 * (2 + 2 * FIELD_COUNT)];

    private int[] presence = new int[1024];
    private final List<String> problems = new ArrayList<>();
    private int[] problemOf = new int[1024];
    private byte[] arena = new byte[1 << 16];
    private int used;
    private long bytesRead;

    /** Entries for the part of a log {@code parser} starts in; {@code first}: the part the log begins with. */
    ParsedBlock(LogLineParser parser, boolean first) {
        this.parser = parser;
        this.first = first;
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

    void bytesRead(long bytes) {
        bytesRead = bytes;
    }

    @Override
    public void line(byte[] b, int from, int to, long number) {
        int i = next(number);
        if (first) {
            from = Ingest.afterByteOrderMark(b, from, to, number);
        }
        if (Ascii.isBlank(b, from, to)) {
            kinds[i] = BLANK;
            return;
        }
        int base = i * (2 + 2 * FIELD_COUNT);
        offsets[base] = copy(b, from, to);
        offsets[base + 1] = used;
        parsed.reset();
        ParseResult result = parser.parse(b, from, to, parsed);
        switch (result) {
            case RECORD -> {
                kinds[i] = RECORD;
                seconds[i] = parsed.epochSecond();
                statuses[i] = parsed.status();
                sizes[i] = parsed.bytes();
                int present = 0;
                for (int f = 0; f < FIELD_COUNT; f++) {
                    Field field = FIELDS[f];
                    if (parsed.has(field)) {
                        present |= 1 << f;
                        offsets[base + 2 + 2 * f] = copy(parsed.array(field), parsed.from(field), parsed.to(field));
                        offsets[base + 3 + 2 * f] = used;
                    }
                }
                presence[i] = present;
            }
            case SKIP -> kinds[i] = SKIP;
            case BAD -> {
                kinds[i] = BAD;
                problemOf[i] = problems.size();
                problems.add(parsed.problem());
            }
        }
    }

    @Override
    public void tooLong(long number) {
        kinds[next(number)] = TOO_LONG;
    }

    /**
     * Hands the entries to {@code ingest} in order, as lines {@code firstNumber}, {@code firstNumber + 1}, …, as if
     * {@code ingest} had split and parsed them itself.
     */
    void replay(Ingest ingest, long firstNumber) {
        ParsedLine line = new ParsedLine();
        for (int i = 0; i < count; i++) {
            long number = firstNumber + i;
            int base = i * (2 + 2 * FIELD_COUNT);
            switch (kinds[i]) {
                case BLANK -> ingest.blank(number);
                case TOO_LONG -> ingest.tooLong(number);
                case SKIP -> {
                    line.reset();
                    ingest.parsed(ParseResult.SKIP, line, arena, offsets[base], offsets[base + 1], number);
                }
                case BAD -> {
                    line.reset();
                    line.fail(problems.get(problemOf[i]));
                    ingest.parsed(ParseResult.BAD, line, arena, offsets[base], offsets[base + 1], number);
                }
                default -> {
                    line.reset();
                    line.epochSecond(seconds[i]).status(statuses[i]).bytes(sizes[i]);
                    int present = presence[i];
                    for (int f = 0; f < FIELD_COUNT; f++) {
                        if ((present & (1 << f)) != 0) {
                            line.set(FIELDS[f], arena, offsets[base + 2 + 2 * f], offsets[base + 3 + 2 * f]);
                        }
                    }
                    ingest.parsed(ParseResult.RECORD, line, arena, offsets[base], offsets[base + 1], number);
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

    /** Copies {@code b[from, to)} to the arena; where the copy starts ({@link #used} is where it ends). */
    private int copy(byte[] b, int from, int to) {
        int length = to - from;
        if (used + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, used + length));
        }
        System.arraycopy(b, from, arena, used, length);
        int start = used;
        used += length;
        return start;
    }
}
