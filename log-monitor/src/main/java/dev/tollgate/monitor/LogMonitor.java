package dev.tollgate.monitor;

import dev.tollgate.core.Printable;
import dev.tollgate.monitor.spi.LogFormatProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The log monitor behind {@code tollgate monitor [FILE]}: reads an access log from a file, a growing
 * file or stdin, prints traffic statistics every chunk of log time and the high-traffic alert and its
 * recovery, and closes with a summary. What it does is set by {@link MonitorOptions}.
 *
 * <p>{@link #run} blocks the calling thread (the command line's main thread, never an event loop)
 * until the input ends or {@link #stop} is called from another thread — the way to end
 * {@code --follow}, for instance from a shutdown hook. The report goes to {@code out}; bad lines,
 * the progress bar and errors go to {@code err}. Errors never surface as stack traces: {@code run}
 * prints one clear message and returns an exit code.
 *
 * <pre>{@code
 * MonitorOptions options = MonitorOptions.builder()
 *         .file(Path.of("access.log"))
 *         .threshold(20)
 *         .build();
 * int exitCode = LogMonitor.run(options, System.in, System.out, System.err);
 * }</pre>
 */
public final class LogMonitor {

    /** The input was read to its end, or the monitor was stopped. Bad lines do not change it. */
    public static final int EXIT_OK = 0;
    /** Reading failed half-way (an I/O error); what was read is reported. */
    public static final int EXIT_READ_FAILED = 1;
    /** The monitor could not start: the file cannot be opened, the format is unknown or undetectable. */
    public static final int EXIT_CANNOT_START = 2;

    private static final int READ_BUFFER = 1 << 18;
    private static final int STDIN_BLOCK = 1 << 16;
    private static final Block END = new Block(new byte[0], -1, null);

    private final MonitorOptions options;
    private final AtomicBoolean used = new AtomicBoolean();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile BlockingQueue<Block> stdinBlocks;
    private volatile TerminalView view;

    private long lastInputMillis;
    private boolean anchorPending = true;
    private long anchor;

    private LogMonitor(MonitorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A monitor for one {@link #run}. */
    public static LogMonitor create(MonitorOptions options) {
        return new LogMonitor(options);
    }

    /**
     * Runs a monitor with {@code options} to the end of its input; see
     * {@link #run(InputStream, PrintStream, PrintStream)}.
     */
    public static int run(MonitorOptions options, InputStream stdin, PrintStream out, PrintStream err) {
        return create(options).run(stdin, out, err);
    }

    /**
     * Reads the log to its end (with {@code --follow}: until {@link #stop}), reporting to {@code out}
     * and {@code err}; {@code stdin} is read only when the options name no file
     * ({@link InputStream#nullInputStream()} will do otherwise).
     *
     * @return {@link #EXIT_OK}, {@link #EXIT_READ_FAILED} or {@link #EXIT_CANNOT_START}
     * @throws IllegalStateException when this monitor ran before
     */
    public int run(InputStream stdin, PrintStream out, PrintStream err) {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("a LogMonitor runs once; create another");
        }
        long startNanos = System.nanoTime();
        Optional<LogFormatProvider> format;
        try {
            format = options.format().map(options.formats()::provider);
        } catch (MonitorException e) {
            return cannotStart(err, e.getMessage());
        }
        String source = options.file().map(p -> "'" + p + "'").orElse("stdin");
        FileChannel channel = null;
        if (options.file().isPresent()) {
            try {
                channel = open(options.file().get());
            } catch (MonitorException e) {
                return cannotStart(err, e.getMessage());
            }
        }
        PrintStream file = null;
        if (options.output().isPresent()) {
            try {
                file = new PrintStream(Files.newOutputStream(options.output().get()), false, StandardCharsets.UTF_8);
            } catch (IOException e) {
                close(channel);
                return cannotStart(
                        err,
                        "cannot write the --output file '" + options.output().get() + "': " + reason(e));
            }
        }
        Optional<HtmlReport> html = Optional.empty();
        if (options.html().isPresent()) {
            try {
                html = Optional.of(HtmlReport.create(options, source, err));
            } catch (MonitorException e) {
                close(channel);
                if (file != null) {
                    file.close();
                }
                return cannotStart(err, e.getMessage());
            }
        }
        PrintStream reportOut = out;
        PrintStream runErr = err;
        HeldOutput held = null;
        if (options.tui()) {
            TerminalView.Opened opened = TerminalView.open(
                    source,
                    options.follow(),
                    options.threshold(),
                    options.window().toSeconds(),
                    this::stop);
            if (opened.view().isPresent()) {
                view = opened.view().get();
                reportOut = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
                held = new HeldOutput();
                runErr = new PrintStream(held, true, StandardCharsets.UTF_8);
            } else {
                err.println("tollgate monitor: no --tui view: " + opened.reason() + "; printing the report instead");
            }
        }
        try {
            boolean regularFile = channel != null && !options.follow();
            ProgressBar progress = regularFile && view == null && showProgress()
                    ? ProgressBar.of(err, size(channel))
                    : ProgressBar.disabled();
            ReportWriter writer = new ReportWriter(reportOut, Optional.ofNullable(file), progress);
            List<MonitorListener> all = new ArrayList<>();
            all.add(options.json() ? new JsonReport(writer) : new TextReport(writer));
            html.ifPresent(all::add);
            if (view != null) {
                all.add(view);
            }
            all.addAll(options.listeners());
            Listeners listeners = new Listeners(all, options.recordListeners(), runErr, progress);
            Ingest ingest = new Ingest(options, format, source, listeners, runErr, progress);
            LineSplitter splitter = new LineSplitter(READ_BUFFER, ingest);
            ParallelReader parallel = regularFile ? parallel(channel, format, ingest, progress) : null;
            ingest.readPosition(
                    parallel != null ? parallel::bytesRead : splitter::bytesRead,
                    regularFile ? OptionalLong.of(size(channel)) : OptionalLong.empty());
            int exitCode = EXIT_OK;
            try {
                if (channel == null) {
                    readStdin(stdin, splitter, ingest, writer);
                } else if (options.follow()) {
                    follow(new FollowedFile(options.file().get(), channel), splitter, ingest, writer);
                } else if (parallel != null) {
                    parallel.read();
                } else {
                    readFile(channel, splitter, progress);
                }
            } catch (IOException e) {
                progress.clear();
                runErr.println("tollgate monitor: " + Printable.escape("reading " + source + " failed: " + reason(e)));
                exitCode = EXIT_READ_FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (parallel != null) {
                progress.finish(parallel.bytesRead(), parallel.lines());
            } else {
                progress.finish(splitter.bytesRead(), splitter.lines());
            }
            MonitorSummary summary = ingest.finish(Duration.ofNanos(System.nanoTime() - startNanos));
            listeners.finish(summary);
            writer.flush();
            if (view != null) {
                awaitQuit(view);
                closeView(held, err);
                // the screen is gone: the summary stays on the terminal
                ReportWriter after = new ReportWriter(out, Optional.empty(), ProgressBar.disabled());
                (options.json() ? new JsonReport(after) : new TextReport(after)).onFinish(summary);
                after.flush();
            }
            return exitCode;
        } catch (MonitorException e) {
            closeView(held, err);
            return cannotStart(err, e.getMessage());
        } finally {
            closeView(held, err);
            close(channel);
            if (file != null) {
                file.close();
            }
        }
    }

    /**
     * Ends a running {@link #run} soon: it stops reading, reports the last chunk and the summary and
     * returns {@link #EXIT_OK}. Safe from any thread, and before or after the run.
     */
    public void stop() {
        stopped = true;
        TerminalView shown = view;
        if (shown != null) {
            shown.release();
        }
        stopSignal.countDown();
        BlockingQueue<Block> blocks = stdinBlocks;
        if (blocks != null) {
            blocks.offer(END);
        }
    }

    private static void awaitQuit(TerminalView view) {
        try {
            view.awaitQuit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives the terminal back, then writes what was held of stderr while the screen was shown. */
    private void closeView(HeldOutput held, PrintStream err) {
        TerminalView shown = view;
        if (shown == null) {
            return;
        }
        view = null;
        shown.close();
        if (held != null) {
            held.writeTo(err);
        }
    }

    /**
     * The reader that parses a regular file on {@code --threads} threads, when the file is large enough and its
     * format's parsers resume (the format is decided first, from the file's first lines, when none was chosen);
     * null: one thread reads it.
     */
    private ParallelReader parallel(
            FileChannel channel, Optional<LogFormatProvider> chosen, Ingest ingest, ProgressBar progress) {
        long size = size(channel);
        if (!ParallelReader.worth(size, options.threads(), options.partBytes())) {
            return null;
        }
        LogFormatProvider format;
        try {
            format = chosen.isPresent()
                    ? chosen.get()
                    : ingest.decideFormat(ParallelReader.firstLines(channel, Ingest.DETECT_LINES));
        } catch (IOException e) {
            // the one-thread reader meets the same error and reports it
            return null;
        }
        return ParallelReader.resumes(format)
                ? new ParallelReader(channel, size, format, options, ingest, progress, () -> stopped)
                : null;
    }

    private void readFile(FileChannel channel, LineSplitter splitter, ProgressBar progress) throws IOException {
        while (!stopped && splitter.readFrom(channel) >= 0) {
            progress.update(splitter.bytesRead(), splitter.lines());
        }
        splitter.endOfInput();
    }

    private void readStdin(InputStream stdin, LineSplitter splitter, Ingest ingest, ReportWriter writer)
            throws IOException, InterruptedException {
        BlockingQueue<Block> blocks = new ArrayBlockingQueue<>(16);
        stdinBlocks = blocks;
        Thread pump = new Thread(() -> pump(stdin, blocks), "tollgate-monitor-stdin");
        pump.setDaemon(true);
        pump.start();
        inputArrived();
        long pollMillis = Math.max(1, options.pollInterval().toMillis());
        try {
            readBlocks(blocks, pollMillis, splitter, ingest, writer);
        } finally {
            // a pump waiting on a full queue ends now, one waiting on stdin when stdin has more (it is a daemon)
            pump.interrupt();
        }
        splitter.endOfInput();
    }

    private void readBlocks(
            BlockingQueue<Block> blocks, long pollMillis, LineSplitter splitter, Ingest ingest, ReportWriter writer)
            throws IOException, InterruptedException {
        while (!stopped) {
            Block block = blocks.poll(pollMillis, TimeUnit.MILLISECONDS);
            if (stopped || block == END) {
                break;
            }
            if (block == null) {
                ingest.pause();
                quiet(ingest);
                writer.flush();
                continue;
            }
            if (block.error() != null) {
                throw block.error();
            }
            splitter.append(block.bytes(), block.length());
            if (blocks.isEmpty()) {
                ingest.pause();
                writer.flush();
            }
            inputArrived();
        }
    }

    /** Runs on its own thread: stdin cannot be read with a timeout, and the quiet timeout needs one. */
    private static void pump(InputStream stdin, BlockingQueue<Block> blocks) {
        try {
            while (true) {
                byte[] bytes = new byte[STDIN_BLOCK];
                int n = stdin.read(bytes);
                if (n < 0) {
                    blocks.put(END);
                    return;
                }
                if (n > 0) {
                    blocks.put(new Block(bytes, n, null));
                }
            }
        } catch (IOException e) {
            try {
                blocks.put(new Block(new byte[0], 0, e));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow(FollowedFile file, LineSplitter splitter, Ingest ingest, ReportWriter writer)
            throws IOException, InterruptedException {
        inputArrived();
        try (file) {
            while (!stopped) {
                if (splitter.readFrom(file.channel()) > 0) {
                    inputArrived();
                    continue;
                }
                ingest.pause();
                switch (file.check()) {
                    case TRUNCATED -> {
                        splitter.discardPartial();
                        file.channel().position(0);
                        continue;
                    }
                    case REPLACED -> {
                        while (splitter.readFrom(file.channel()) > 0) {
                            inputArrived();
                        }
                        if (file.reopen()) {
                            splitter.endOfInput();
                            continue;
                        }
                    }
                    case NONE -> {}
                }
                quiet(ingest);
                writer.flush();
                if (stopSignal.await(options.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
            splitter.endOfInput();
        }
    }

    private void inputArrived() {
        lastInputMillis = options.clock().millis();
        anchorPending = true;
    }

    /**
     * No input right now: after {@code --timeout} of it, the requests held before the clock started are
     * read, and log time follows the wall clock.
     */
    private void quiet(Ingest ingest) {
        long idleMillis = options.clock().millis() - lastInputMillis;
        boolean timedOut = idleMillis >= options.timeout().toMillis();
        if (timedOut) {
            ingest.quiet();
        }
        if (!ingest.started()) {
            return;
        }
        if (anchorPending) {
            anchor = ingest.newest();
            anchorPending = false;
        }
        if (timedOut) {
            ingest.advanceTo(anchor + idleMillis / 1000);
        }
    }

    // on Java 17, the release this is built for, System.console() is null exactly when there is no terminal
    @SuppressWarnings("SystemConsoleNull")
    private boolean showProgress() {
        return switch (options.progress()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> System.console() != null;
        };
    }

    private static FileChannel open(Path path) {
        if (Files.isDirectory(path)) {
            throw new MonitorException("cannot read '" + path + "': it is a directory");
        }
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new MonitorException("cannot read '" + path + "': " + reason(e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static long size(FileChannel channel) {
        try {
            return channel.size();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int cannotStart(PrintStream err, String message) {
        err.println("tollgate monitor: " + Printable.escape(message));
        return EXIT_CANNOT_START;
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
        }
    }

    /**
     * Stderr while the full-screen view is shown, written out once it is gone: bad lines and errors would
     * otherwise be drawn over the screen. Keeps the first {@value #HELD_BYTES} bytes.
     */
    private static final class HeldOutput extends OutputStream {
        private static final int HELD_BYTES = 64 * 1024;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean dropped;

        @Override
        public synchronized void write(int b) {
            if (bytes.size() < HELD_BYTES) {
                bytes.write(b);
            } else {
                dropped = true;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, HELD_BYTES - bytes.size());
            bytes.write(b, off, Math.min(room, len));
            dropped |= len > room;
        }

        synchronized void writeTo(PrintStream err) {
            err.print(bytes.toString(StandardCharsets.UTF_8));
            if (dropped) {
                err.println("tollgate monitor: more messages on stderr were left out");
            }
            err.flush();
            bytes.reset();
            dropped = false;
        }
    }

    /** A piece of stdin, its end ({@link #END}, told apart by identity) or a read error. */
    private static final class Block {
        private final byte[] bytes;
        private final int length;
        private final IOException error;

        Block(byte[] bytes, int length, IOException error) {
            this.bytes = bytes;
            this.length = length;
            this.error = error;
        }

        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }

        IOException error() {
            return error;
        }
    }
}
