package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogLineParser;
import dev.tollgate.monitor.spi.ParseResult;
import dev.tollgate.monitor.spi.ParsedLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a worker makes of one part of a file: its first lines (the head) one by one, in a {@link ParsedBlock}, and
 * the rest (the body) already counted as the reading thread would count it, so that the reading thread only adds the
 * counts in: the requests per second, the counters of each chunk (requests, bytes, sections, methods, hosts,
 * statuses), the requests, their statuses and the late ones, and, in line order, each line that moves the newest
 * second forward and each bad line.
 *
 * <p>Whether a line is placed or late, and which seconds become final, depends on the newest second when it comes,
 * which depends on the parts before. The worker counts the body as if the newest second, when the body begins, were
 * the newest of the head's requests, and no request were held for a jump of time. The head ends once it has {@value
 * #ANCHOR_RECORDS} requests and its newest second is {@code lateness} past the newest of those first ones: a request
 * that is not late is at most {@code lateness} behind the newest second before it, so the count holds as soon as one
 * of the first requests is not late. The reading thread checks that it holds after taking the head ({@link
 * Ingest#takesSummed}) and otherwise reads the body line by line, parsed again. A body with a line more than {@code
 * max-jump} ahead, which would be held, is never counted ({@link #summable()}). The file's first part is all head (it
 * starts the clock), and so is every part when record listeners want each request. Not thread-safe: made on one
 * thread, then read on another (the hand-over is the worker's future).
 */
final class PartSummary implements ParallelReader.PartSink {

    private static final byte ADVANCE = 0;
    private static final byte BAD = 1;
    private static final byte TOO_LONG = 2;
    /** The first requests of a part, of which one not late is enough for its count to hold. */
    private static final int ANCHOR_RECORDS = 16;

    private final LogLineParser parser;
    private final boolean first;
    private final boolean counts;
    private final long lateness;
    private final long chunkSize;
    private final long maxJump;
    private final ParsedBlock head;
    private final byte[] source;
    private final ParsedLine parsed = new ParsedLine();
    private final Sections sections = new Sections();

    private int lines;
    private long bytesRead;
    private boolean inBody;
    private boolean summable = true;
    private int headLines;
    private int headRecords;
    private long anchor;
    private long newest;
    private long headNewest;

    private long records;
    private long late;
    private final StatusCounts statuses = new StatusCounts();

    /** The seconds with placed requests, in order, and their requests. */
    private long[] seconds = new long[1024];

    private int[] hits = new int[1024];
    private int secondCount;
    /** The chunks with placed requests, in order. */
    private final List<ChunkAccumulator> chunks = new ArrayList<>();

    /** In line order: the lines that move the newest second (to {@code eventValues}) and the bad lines. */
    private byte[] eventKinds = new byte[64];

    private int[] eventLines = new int[64];
    private long[] eventValues = new long[64];
    private int eventCount;

    /** The bad lines of the body: their problems, and their bytes, one after the other. */
    private final List<String> problems = new ArrayList<>();

    private byte[] badBytes = new byte[0];
    private int[] badEnds = new int[16];
    private int badUsed;

    /**
     * A summary for a part {@code parser} starts in, whose bytes are {@code source} (see {@link ParsedBlock}); {@code
     * first}: the part the log begins with; {@code counts}: whether lines after the head are counted (else every line
     * is head); the seconds are those of {@code --lateness}, {@code --chunksize} and {@code --max-jump}.
     */
    PartSummary(
            LogLineParser parser,
            boolean first,
            byte[] source,
            boolean counts,
            long latenessSeconds,
            long chunkSeconds,
            long maxJumpSeconds) {
        this.parser = parser;
        this.first = first;
        this.counts = counts;
        this.lateness = latenessSeconds;
        this.chunkSize = chunkSeconds;
        this.maxJump = maxJumpSeconds;
        this.source = source;
        this.head = new ParsedBlock(parser, first, source, 1 << 12);
    }

    /** The parser, in the state the part's last line left it in. */
    LogLineParser parser() {
        return parser;
    }

    /** Lines in the part. */
    int lines() {
        return lines;
    }

    long bytesRead() {
        return bytesRead;
    }

    @Override
    public void bytesRead(long bytes) {
        bytesRead = bytes;
    }

    /** The array the part was read into, unless it was read in pieces. */
    Optional<byte[]> source() {
        return Optional.ofNullable(source);
    }

    /** The head: the lines read one by one. */
    ParsedBlock head() {
        return head;
    }

    /** Whether lines follow the head. */
    boolean hasBody() {
        return inBody;
    }

    /** Whether the body was counted: no line in it jumps more than {@code --max-jump} ahead. */
    boolean summable() {
        return summable;
    }

    /** The newest second of the head's requests, the one the body was counted from. */
    long headNewest() {
        return headNewest;
    }

    @Override
    public void line(byte[] b, int from, int to, long number) {
        lines++;
        if (first) {
            from = Ingest.afterByteOrderMark(b, from, to, number);
        }
        if (Ascii.isBlank(b, from, to)) {
            if (!inBody) {
                head.blank(number);
            }
            return;
        }
        parsed.reset();
        ParseResult result = parser.parse(b, from, to, parsed);
        if (!inBody) {
            head.parsed(number, result, parsed, b, from, to);
            if (result == ParseResult.RECORD) {
                headRecord(parsed.epochSecond(), number);
            }
            return;
        }
        switch (result) {
            case RECORD -> count(parsed, number);
            case SKIP -> {}
            case BAD -> bad(number, parsed.problem(), b, from, to);
        }
    }

    @Override
    public void tooLong(long number) {
        lines++;
        if (inBody) {
            event(TOO_LONG, number, 0);
        } else {
            head.tooLong(number);
        }
    }

    private void headRecord(long second, long number) {
        if (headRecords == 0 || second > newest) {
            newest = second;
        }
        if (headRecords++ < ANCHOR_RECORDS) {
            anchor = newest;
        }
        // if any of the first requests is not late, the newest second before the part is at most its + lateness
        if (counts && headRecords >= ANCHOR_RECORDS && newest - anchor >= lateness) {
            inBody = true;
            headLines = (int) number;
            headNewest = newest;
        }
    }

    /** Counts a request of the body as {@link Ingest} and {@link Timeline} would, the newest second being known. */
    private void count(ParsedLine line, long number) {
        records++;
        statuses.add(line.status());
        if (!summable) {
            return;
        }
        long s = line.epochSecond();
        if (s > newest) {
            if (s - newest > maxJump) {
                // it would be held until the lines after it decide: read line by line instead
                summable = false;
                return;
            }
            event(ADVANCE, number, s);
            newest = s;
        } else if (s < newest - lateness) {
            late++;
            return;
        }
        hit(s);
        chunk(Math.floorDiv(s, chunkSize)).add(line, sections);
    }

    /** Counts a request in second {@code s}: the seconds are kept in order, and lines come near the newest. */
    private void hit(long s) {
        int i = secondCount - 1;
        while (i >= 0 && seconds[i] > s) {
            i--;
        }
        if (i >= 0 && seconds[i] == s) {
            hits[i]++;
            return;
        }
        if (secondCount == seconds.length) {
            seconds = Arrays.copyOf(seconds, secondCount * 2);
            hits = Arrays.copyOf(hits, secondCount * 2);
        }
        int at = i + 1;
        System.arraycopy(seconds, at, seconds, at + 1, secondCount - at);
        System.arraycopy(hits, at, hits, at + 1, secondCount - at);
        seconds[at] = s;
        hits[at] = 1;
        secondCount++;
    }

    /** The counters of chunk {@code k}, kept in order like the seconds. */
    private ChunkAccumulator chunk(long k) {
        int i = chunks.size() - 1;
        while (i >= 0 && chunks.get(i).index > k) {
            i--;
        }
        if (i >= 0 && chunks.get(i).index == k) {
            return chunks.get(i);
        }
        ChunkAccumulator chunk = new ChunkAccumulator();
        chunk.open(k);
        chunks.add(i + 1, chunk);
        return chunk;
    }

    private void bad(long number, String problem, byte[] b, int from, int to) {
        int n = problems.size();
        problems.add(problem);
        if (badUsed + to - from > badBytes.length) {
            badBytes = Arrays.copyOf(badBytes, Math.max(badBytes.length * 2, badUsed + to - from + 4096));
        }
        System.arraycopy(b, from, badBytes, badUsed, to - from);
        badUsed += to - from;
        if (n == badEnds.length) {
            badEnds = Arrays.copyOf(badEnds, n * 2);
        }
        badEnds[n] = badUsed;
        event(BAD, number, n);
    }

    private void event(byte kind, long number, long value) {
        if (eventCount == eventKinds.length) {
            int size = eventCount * 2;
            eventKinds = Arrays.copyOf(eventKinds, size);
            eventLines = Arrays.copyOf(eventLines, size);
            eventValues = Arrays.copyOf(eventValues, size);
        }
        eventKinds[eventCount] = kind;
        eventLines[eventCount] = (int) number;
        eventValues[eventCount] = value;
        eventCount++;
    }

    /**
     * Hands the counted body to {@code ingest} and its {@code timeline}, the part's first line being line {@code
     * firstNumber}: in line order, moves the newest second forward, after adding the counts of the seconds and chunks
     * that this makes final, and reports the bad lines; then adds the rest. Only when {@link Ingest#takesSummed} said
     * so.
     */
    void takeBody(Ingest ingest, Timeline timeline, long firstNumber) {
        int nextSecond = 0;
        int nextChunk = 0;
        for (int e = 0; e < eventCount; e++) {
            long number = firstNumber + eventLines[e] - 1;
            switch (eventKinds[e]) {
                case ADVANCE -> {
                    long to = eventValues[e];
                    long last = to - lateness - 1;
                    nextSecond = addSeconds(timeline, nextSecond, last);
                    nextChunk = addChunks(timeline, nextChunk, last);
                    timeline.moveTo(to);
                }
                case BAD -> {
                    int n = (int) eventValues[e];
                    int from = n == 0 ? 0 : badEnds[n - 1];
                    ingest.badLine(number, problems.get(n), badBytes, from, badEnds[n]);
                }
                default -> ingest.tooLong(number);
            }
        }
        addSeconds(timeline, nextSecond, Long.MAX_VALUE);
        addChunks(timeline, nextChunk, Long.MAX_VALUE);
        timeline.addLate(late);
    }

    /** The requests of the body, late ones included. */
    long records() {
        return records;
    }

    /** The statuses of the body's requests, late ones included. */
    StatusCounts statuses() {
        return statuses;
    }

    private int addSeconds(Timeline timeline, int next, long last) {
        int i = next;
        while (i < secondCount && seconds[i] <= last) {
            timeline.addHits(seconds[i], hits[i]);
            i++;
        }
        return i;
    }

    private int addChunks(Timeline timeline, int next, long last) {
        int i = next;
        while (i < chunks.size() && chunks.get(i).index * chunkSize + chunkSize - 1 <= last) {
            timeline.addChunk(chunks.get(i));
            i++;
        }
        return i;
    }

    /** The lines of the head, after which the body begins. */
    int headLines() {
        return headLines;
    }
}
