package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogFormatProvider;
import dev.tollgate.monitor.spi.LogLineParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Reads a regular file on several threads: cuts it into parts at line ends, and has the workers parse each part and
 * count most of it ({@link PartSummary}); the calling thread takes the parts in the file's order, the first lines of
 * each one by one and the rest as counted, adding per-second and per-chunk counts, so that lateness, time jumps,
 * seconds, chunks, alerts and bad lines come out exactly as when one thread reads. Where a part's count rests on
 * something the parts before did not leave (its first request late, requests held for a jump of time), or when record
 * listeners want every request, the rest of the part is taken line by line, parsed again on the calling thread.
 *
 * <p>A part is parsed by a parser {@linkplain LogFormatProvider#resume(Object) resumed} from the state the parts
 * before it are expected to leave (the CSV header's column order). When a part changes that state (a header in the
 * middle of the file, where two logs were joined), the parts already parsed with the state before it are parsed
 * again, in order, with the right one. At most {@code 2 × threads} parts are held at once, each about
 * {@link #PART_BYTES} of the file, so the memory used does not grow with the file. Files under two parts are read by
 * one thread: there is nothing to gain.
 */
final class ParallelReader {

    /** The bytes of a part by default, before it is extended to the next line end. */
    static final int PART_BYTES = 4 << 20;
    /** The first part is small: it is parsed alone, to learn the state the others start in. */
    static final int FIRST_PART_BYTES = 64 << 10;

    private static final int READ_BUFFER = 1 << 18;
    /** Parts parsed by every reader of this JVM, those parsed again included. */
    private static final LongAdder PARTS_PARSED = new LongAdder();
    /** Of those, the parts parsed again because the part before changed the parser's state. */
    private static final LongAdder PARTS_PARSED_AGAIN = new LongAdder();
    /** Parts whose body was taken as counted by a worker. */
    private static final LongAdder BODIES_COUNTED = new LongAdder();
    /** Parts whose body was taken line by line, parsed again, because its count did not hold. */
    private static final LongAdder BODIES_READ_AGAIN = new LongAdder();

    private final FileChannel channel;
    private final long size;
    private final LogFormatProvider format;
    private final int threads;
    private final int partBytes;
    private final long lateness;
    private final long chunkSize;
    private final long maxJump;
    private final boolean counted;
    private final Ingest ingest;
    private final ProgressBar progress;
    private final BooleanSupplier stopped;
    /** The arrays of parts already taken, for the next parts: a part's array is as large as the part. */
    private final Queue<byte[]> spare = new ConcurrentLinkedQueue<>();

    private long bytesRead;
    private long lines;

    ParallelReader(
            FileChannel channel,
            long size,
            LogFormatProvider format,
            MonitorOptions options,
            Ingest ingest,
            ProgressBar progress,
            BooleanSupplier stopped) {
        this.channel = channel;
        this.size = size;
        this.format = format;
        this.threads = options.threads();
        this.partBytes = options.partBytes();
        this.lateness = options.lateness().toSeconds();
        this.chunkSize = options.chunkSize().toSeconds();
        this.maxJump = options.maxJump().toSeconds();
        // record listeners want every request: the workers only parse
        this.counted = !ingest.wantsRecords();
        this.ingest = ingest;
        this.progress = progress;
        this.stopped = stopped;
    }

    /** Whether a file of {@code size} bytes is worth reading in parts of {@code partBytes} with {@code threads}. */
    static boolean worth(long size, int threads, int partBytes) {
        return threads > 1 && size >= 2L * partBytes;
    }

    /** Whether {@code format}'s parsers resume from a state, so that a file may be parsed in parts. */
    static boolean resumes(LogFormatProvider format) {
        return format.resume(format.create().state()).isPresent();
    }

    /**
     * The first non-blank lines of the file, at most {@code max}, as the format detection looks at them (the first
     * line without its byte order mark).
     */
    static List<byte[]> firstLines(FileChannel channel, int max) throws IOException {
        List<byte[]> found = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(READ_BUFFER, new LineSplitter.LineSink() {
            @Override
            public void line(byte[] b, int from, int to, long number) {
                int start = Ingest.afterByteOrderMark(b, from, to, number);
                if (found.size() < max && !Ascii.isBlank(b, start, to)) {
                    found.add(Arrays.copyOfRange(b, start, to));
                }
            }

            @Override
            public void tooLong(long number) {
                // not a line the detection sees
            }
        });
        ReadableByteChannel part = new Part(channel, 0, channel.size());
        while (found.size() < max && splitter.readFrom(part) >= 0) {
            // reads on until enough lines are found or the file ends
        }
        if (found.size() < max) {
            splitter.endOfInput();
        }
        return found;
    }

    /** Reads the file to its end, or until stopped. */
    void read() throws IOException, InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "tollgate-monitor-parse");
            thread.setDaemon(true);
            return thread;
        });
        try {
            LogLineParser fresh = format.create();
            Object state = fresh.state();
            long start = partEnd(0, Math.min(FIRST_PART_BYTES, partBytes));
            ArrayDeque<Submitted> pending = new ArrayDeque<>();
            pending.add(submit(workers, 0, start, state));
            while (!pending.isEmpty() && !stopped.getAsBoolean()) {
                Submitted next = pending.poll();
                PartSummary part = outcome(next.result());
                if (!Objects.equals(next.state(), state)) {
                    // parsed from a state the parts before it did not leave: parse it again with the right one
                    part = parse(next.start(), next.end(), state);
                    PARTS_PARSED_AGAIN.increment();
                }
                take(part, next.start(), next.end(), state);
                state = part.parser().state();
                while (pending.size() < 2 * threads && start < size) {
                    long end = partEnd(start, partBytes);
                    pending.add(submit(workers, start, end, state));
                    start = end;
                }
            }
            for (Submitted left : pending) {
                left.result().cancel(true);
            }
        } finally {
            workers.shutdownNow();
        }
    }

    /** The bytes read so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** The lines handed to the ingest so far. */
    long lines() {
        return lines;
    }

    /**
     * Takes a part parsed from {@code state}, {@code [start, end)} of the file: its head line by line, then its body
     * as counted, or, when the count does not hold, line by line too, parsed again.
     */
    private void take(PartSummary part, long start, long end, Object state) throws IOException {
        long first = lines + 1;
        part.head().replay(ingest, first);
        if (part.hasBody()) {
            if (ingest.takesSummed(part)) {
                ingest.summed(part, first, lines + part.lines());
                BODIES_COUNTED.increment();
            } else {
                ParsedBlock block = parseLines(start, end, state);
                block.replay(ingest, first, part.headLines());
                block.source().ifPresent(spare::offer);
                BODIES_READ_AGAIN.increment();
            }
        }
        lines += part.lines();
        bytesRead += part.bytesRead();
        progress.update(bytesRead, lines);
        // nothing refers to the part's bytes any more: what was kept of them was copied
        part.source().ifPresent(spare::offer);
    }

    private Submitted submit(ExecutorService workers, long start, long end, Object state) {
        return new Submitted(start, end, state, workers.submit(() -> parse(start, end, state)));
    }

    /** Parses and counts the bytes {@code [start, end)}, which begin a line and end one (or the file). */
    private PartSummary parse(long start, long end, Object state) throws IOException {
        // the first part starts the clock, line by line
        boolean counts = counted && start > 0;
        return read(
                start,
                end,
                state,
                (parser, bytes) -> new PartSummary(parser, start == 0, bytes, counts, lateness, chunkSize, maxJump));
    }

    /** Parses the bytes {@code [start, end)} into one entry per line. */
    private ParsedBlock parseLines(long start, long end, Object state) throws IOException {
        return read(start, end, state, (parser, bytes) -> new ParsedBlock(parser, start == 0, bytes, partBytes));
    }

    /**
     * Hands the lines of {@code [start, end)} to the sink {@code into} makes, read whole into one array whose lines and
     * fields are kept in place, unless a line over the splitter's limit made the part too large to hold, when a
     * splitter reads it in pieces and the lines are copied.
     */
    private <T extends PartSink> T read(long start, long end, Object state, Sink<T> into) throws IOException {
        LogLineParser parser = format.resume(state)
                .orElseThrow(() -> new IllegalStateException(format.name() + " did not resume from " + state));
        long length = end - start;
        T sink;
        if (length <= (long) partBytes + LineSplitter.MAX_LINE) {
            byte[] bytes = array((int) length);
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, (int) length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, start + buffer.position()) < 0) {
                    break;
                }
            }
            int read = buffer.position();
            sink = into.make(parser, bytes);
            LineSplitter.splitWhole(bytes, read, sink);
            sink.bytesRead(read);
        } else {
            sink = into.make(parser, null);
            LineSplitter splitter = new LineSplitter(READ_BUFFER, sink);
            Part part = new Part(channel, start, end);
            while (splitter.readFrom(part) >= 0) {
                // every complete line is handed to the sink as it is read
            }
            splitter.endOfInput();
            sink.bytesRead(splitter.bytesRead());
        }
        PARTS_PARSED.increment();
        return sink;
    }

    /** An array for a part of {@code length} bytes: a spare one when it is large enough. */
    private byte[] array(int length) {
        byte[] array = spare.poll();
        if (array == null || array.length < length) {
            // room for the line end a part is extended to, most of the time
            array = new byte[Math.max(length, partBytes + (1 << 16))];
        }
        return array;
    }

    /** Parts parsed so far by every reader of this JVM, for tests that check the file was read in parts. */
    static long partsParsed() {
        return PARTS_PARSED.sum();
    }

    /** Parts whose body was taken as a worker counted it, so far, by every reader of this JVM. */
    static long bodiesCounted() {
        return BODIES_COUNTED.sum();
    }

    /** Parts whose body was taken line by line, parsed again, so far, by every reader of this JVM. */
    static long bodiesReadAgain() {
        return BODIES_READ_AGAIN.sum();
    }

    /** Parts parsed again so far, by every reader of this JVM, because a part before them changed the state. */
    static long partsParsedAgain() {
        return PARTS_PARSED_AGAIN.sum();
    }

    /** Where the part starting at {@code start} ends: just after the first line end at or past {@code bytes}. */
    private long partEnd(long start, int bytes) throws IOException {
        long position = start + bytes - 1;
        if (position >= size - 1) {
            return size;
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        while (position < size) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n < 0) {
                return size;
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) == '\n') {
                    return position + i + 1;
                }
            }
            position += n;
        }
        return size;
    }

    private static PartSummary outcome(Future<PartSummary> result) throws IOException, InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** What the lines of a part go to: a {@link PartSummary} or a {@link ParsedBlock}. */
    interface PartSink extends LineSplitter.LineSink {
        /** The part's bytes, all read. */
        void bytesRead(long bytes);
    }

    /** Makes the sink for a part's lines, parsed by {@code parser}, whose bytes are {@code source} or null. */
    @FunctionalInterface
    private interface Sink<T extends PartSink> {
        T make(LogLineParser parser, byte[] source);
    }

    /** A part handed to a worker, with the state it was told to start in. */
    private record Submitted(long start, long end, Object state, Future<PartSummary> result) {}

    /** The bytes {@code [position, end)} of a file as a channel of their own, read without moving its position. */
    private static final class Part implements ReadableByteChannel {
        private final FileChannel file;
        private final long end;
        private long position;

        Part(FileChannel file, long position, long end) {
            this.file = file;
            this.position = position;
            this.end = end;
        }

        @Override
        public int read(ByteBuffer into) throws IOException {
            if (position >= end) {
                return -1;
            }
            int room = (int) Math.min(into.remaining(), end - position);
            ByteBuffer window = into.slice().limit(room);
            int n = file.read(window, position);
            if (n < 0) {
                return -1;
            }
            into.position(into.position() + n);
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() {
            // the file is the reader's to close
        }
    }
}
