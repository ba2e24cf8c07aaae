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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Reads a regular file on several threads: cuts it into parts at line ends, parses the parts on the workers, and
 * hands their lines to the {@link Ingest} on the calling thread in the file's order, so that everything after
 * parsing (lateness, time jumps, seconds, chunks, alerts, bad lines) happens exactly as when one thread reads.
 *
 * <p>A part is parsed by a parser {@linkplain LogFormatProvider#resume(Object) resumed} from the state the parts
 * before it are expected to leave (the CSV header's column order). When a part changes that state (a header in the
 * middle of the file, where two logs were joined), the parts already parsed with the state before it are parsed
 * again, in order, with the right one. At most {@code 2 × threads} parts are held at once, each about
 * {@link #PART_BYTES} of the file (with copies of their lines' bytes), so the memory used does not grow with the
 * file. Files under two parts are read by one thread: there is nothing to gain.
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

    private final FileChannel channel;
    private final long size;
    private final LogFormatProvider format;
    private final int threads;
    private final int partBytes;
    private final Ingest ingest;
    private final ProgressBar progress;
    private final BooleanSupplier stopped;

    private long bytesRead;
    private long lines;

    ParallelReader(
            FileChannel channel,
            long size,
            LogFormatProvider format,
            int threads,
            int partBytes,
            Ingest ingest,
            ProgressBar progress,
            BooleanSupplier stopped) {
        this.channel = channel;
        this.size = size;
        this.format = format;
        this.threads = threads;
        this.partBytes = partBytes;
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
                ParsedBlock block = outcome(next.result());
                if (!Objects.equals(next.state(), state)) {
                    // parsed from a state the parts before it did not leave: parse it again with the right one
                    block = parse(next.start(), next.end(), state);
                    PARTS_PARSED_AGAIN.increment();
                }
                take(block);
                state = block.parser().state();
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

    private void take(ParsedBlock block) {
        block.replay(ingest, lines + 1);
        lines += block.lines();
        bytesRead += block.bytesRead();
        progress.update(bytesRead, lines);
    }

    private Submitted submit(ExecutorService workers, long start, long end, Object state) {
        return new Submitted(start, end, state, workers.submit(() -> parse(start, end, state)));
    }

    /**
     * Parses the bytes {@code [start, end)}, which begin a line and end one (or the file): read whole into one array
     * whose lines and fields are kept in place, unless a line over the splitter's limit made the part too large to
     * hold, when a splitter reads it in pieces and the lines are copied.
     */
    private ParsedBlock parse(long start, long end, Object state) throws IOException {
        LogLineParser parser = format.resume(state)
                .orElseThrow(() -> new IllegalStateException(format.name() + " did not resume from " + state));
        long length = end - start;
        ParsedBlock block;
        if (length <= (long) partBytes + LineSplitter.MAX_LINE) {
            byte[] bytes = new byte[(int) length];
            ByteBuffer into = ByteBuffer.wrap(bytes);
            while (into.hasRemaining()) {
                if (channel.read(into, start + into.position()) < 0) {
                    break;
                }
            }
            int read = into.position();
            block = new ParsedBlock(parser, start == 0, bytes, read);
            LineSplitter.splitWhole(bytes, read, block);
            block.bytesRead(read);
        } else {
            block = new ParsedBlock(parser, start == 0, null, partBytes);
            LineSplitter splitter = new LineSplitter(READ_BUFFER, block);
            Part part = new Part(channel, start, end);
            while (splitter.readFrom(part) >= 0) {
                // every complete line is handed to the block as it is read
            }
            splitter.endOfInput();
            block.bytesRead(splitter.bytesRead());
        }
        PARTS_PARSED.increment();
        return block;
    }

    /** Parts parsed so far by every reader of this JVM, for tests that check the file was read in parts. */
    static long partsParsed() {
        return PARTS_PARSED.sum();
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

    private static ParsedBlock outcome(Future<ParsedBlock> result) throws IOException, InterruptedException {
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

    /** A part handed to a worker, with the state it was told to start in. */
    private record Submitted(long start, long end, Object state, Future<ParsedBlock> result) {}

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
