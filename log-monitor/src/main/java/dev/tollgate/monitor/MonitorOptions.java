package dev.tollgate.monitor;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link LogMonitor} needs to run: the command-line flags of {@code tollgate monitor} and,
 * for embedders and tests, the clock, the formats and the listeners. Immutable; made with
 * {@link #builder()}, which starts from the defaults.
 *
 * <table>
 *   <caption>Flags</caption>
 *   <tr><th>flag</th><th>builder method</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code FILE}</td><td>{@link Builder#file}</td><td>stdin</td><td>the access log to read</td></tr>
 *   <tr><td>{@code --follow}</td><td>{@link Builder#follow}</td><td>off</td>
 *       <td>keep reading FILE as it grows, across rotation and truncation, until stopped</td></tr>
 *   <tr><td>{@code --format NAME}</td><td>{@link Builder#format}</td><td>detected</td>
 *       <td>{@code csv}, {@code common}, {@code combined} or a plugin's format</td></tr>
 *   <tr><td>{@code --chunksize DURATION}</td><td>{@link Builder#chunkSize}</td><td>10s</td>
 *       <td>log time per statistics report</td></tr>
 *   <tr><td>{@code --threshold RATE}</td><td>{@link Builder#threshold}</td><td>10</td>
 *       <td>requests per second, averaged over the window, above which the alert is raised</td></tr>
 *   <tr><td>{@code --window DURATION}</td><td>{@link Builder#window}</td><td>2m</td>
 *       <td>the alert's averaging window</td></tr>
 *   <tr><td>{@code --lateness DURATION}</td><td>{@link Builder#lateness}</td><td>2s</td>
 *       <td>how far behind the newest line a line may be and still count</td></tr>
 *   <tr><td>{@code --timeout DURATION}</td><td>{@link Builder#timeout}</td><td>10s</td>
 *       <td>quiet input after which log time follows the wall clock</td></tr>
 *   <tr><td>{@code --max-jump DURATION}</td><td>{@link Builder#maxJump}</td><td>1h</td>
 *       <td>how far ahead of the log's time a line may be before it waits for
 *       {@value #JUMP_CONFIRMATIONS} lines to confirm the jump</td></tr>
 *   <tr><td>{@code --output FILE}</td><td>{@link Builder#output}</td><td>none</td>
 *       <td>also write the report to FILE</td></tr>
 *   <tr><td>{@code --json}</td><td>{@link Builder#json}</td><td>off</td>
 *       <td>one JSON object per line instead of text</td></tr>
 *   <tr><td>{@code --progress WHEN}</td><td>{@link Builder#progress}</td><td>auto</td>
 *       <td>progress bar on stderr: {@code auto} (when a terminal), {@code always}, {@code never}</td></tr>
 *   <tr><td>{@code --top N}</td><td>{@link Builder#top}</td><td>5</td>
 *       <td>rows of the sections and hosts tables</td></tr>
 * </table>
 *
 * <p>Durations are whole seconds.
 */
public final class MonitorOptions {

    /** When to draw the progress bar. */
    public enum Progress {
        /** When reading a regular file and {@link System#console()} says this is a terminal. */
        AUTO,
        /** Whenever reading a regular file. */
        ALWAYS,
        /** Never. */
        NEVER
    }

    /** Default {@code --chunksize}. */
    public static final Duration DEFAULT_CHUNK_SIZE = Duration.ofSeconds(10);
    /** Default {@code --threshold}, in requests per second. */
    public static final double DEFAULT_THRESHOLD = 10.0;
    /** Default {@code --window}. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
    /** Default {@code --lateness}. */
    public static final Duration DEFAULT_LATENESS = Duration.ofSeconds(2);
    /** Default {@code --timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@code --max-jump}. */
    public static final Duration DEFAULT_MAX_JUMP = Duration.ofHours(1);
    /**
     * The lines, each within {@code --max-jump} of a held line's time, that confirm a jump of log time;
     * see {@link #maxJump()}.
     */
    public static final int JUMP_CONFIRMATIONS = 3;
    /** Default {@code --top}. */
    public static final int DEFAULT_TOP = 5;
    /** The most threads {@code --threads} takes by default, whatever the cores. */
    public static final int DEFAULT_THREADS_MOST = 8;
    /** Default {@link Builder#pollInterval}. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);

    private static final long MAX_SPAN_SECONDS = Duration.ofDays(7).toSeconds();
    /**
     * {@code --threads} by default: the machine's cores, at most {@value #DEFAULT_THREADS_MOST}; {@code --threads N}
     * spreads the parsing and counting of a regular file over N threads (docs/monitor.md), with the same report
     * whatever N.
     */
    public static final int DEFAULT_THREADS =
            Math.min(DEFAULT_THREADS_MOST, Runtime.getRuntime().availableProcessors());
    /** The most {@code --threads} may ask for. */
    public static final int MAX_THREADS = 256;

    private final Path file;
    private final boolean follow;
    private final String format;
    private final Duration chunkSize;
    private final double threshold;
    private final Duration window;
    private final Duration lateness;
    private final Duration timeout;
    private final Duration maxJump;
    private final Path output;
    private final boolean json;
    private final boolean tui;
    private final Path html;
    private final Progress progress;
    private final int top;
    private final InstantSource clock;
    private final Duration pollInterval;
    private final int threads;
    private final int partBytes;
    private final LogFormats formats;
    private final List<MonitorListener> listeners;
    private final List<RecordListener> recordListeners;

    private MonitorOptions(Builder b) {
        this.file = b.file;
        this.follow = b.follow;
        this.format = b.format;
        this.chunkSize = b.chunkSize;
        this.threshold = b.threshold;
        this.window = b.window;
        this.lateness = b.lateness;
        this.timeout = b.timeout;
        this.maxJump = b.maxJump;
        this.output = b.output;
        this.json = b.json;
        this.tui = b.tui;
        this.html = b.html;
        this.progress = b.progress;
        this.top = b.top;
        this.clock = b.clock;
        this.pollInterval = b.pollInterval;
        this.threads = b.threads;
        this.partBytes = b.partBytes;
        this.formats = b.formats == null ? LogFormats.fromServiceLoader() : b.formats;
        this.listeners = List.copyOf(b.listeners);
        this.recordListeners = List.copyOf(b.recordListeners);
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options with every default: read stdin, detect the format. */
    public static MonitorOptions defaults() {
        return builder().build();
    }

    /** The access log; empty means stdin. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Whether to keep reading the file as it grows. */
    public boolean follow() {
        return follow;
    }

    /** The format's name; empty means detect it from the first lines. */
    public Optional<String> format() {
        return Optional.ofNullable(format);
    }

    /** Log time per statistics report. */
    public Duration chunkSize() {
        return chunkSize;
    }

    /** Requests per second over the window above which the alert is raised. */
    public double threshold() {
        return threshold;
    }

    /** The alert's averaging window. */
    public Duration window() {
        return window;
    }

    /** How far behind the newest line a line may be and still be placed in its second. */
    public Duration lateness() {
        return lateness;
    }

    /** Quiet input after which log time advances with the wall clock. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * How far ahead of the log's time (the newest second accepted) a line may be and still be read at
     * once. A line further ahead is held, with the lines after it, until {@value #JUMP_CONFIRMATIONS}
     * lines within this much of its time confirm the jump (the clock then moves to it) or a line back
     * near the log's time refutes it (the held line is then a bad line, out of range). Until the first
     * line is accepted, every line is held that way; see docs/monitor.md.
     */
    public Duration maxJump() {
        return maxJump;
    }

    /** A file that receives the report too. */
    public Optional<Path> output() {
        return Optional.ofNullable(output);
    }

    /** Whether the report is JSON lines rather than text. */
    public boolean json() {
        return json;
    }

    /**
     * Whether to show the full-screen live view on the terminal instead of the report; without a terminal
     * on stdout the report is printed as usual, with one line on stderr saying why.
     */
    public boolean tui() {
        return tui;
    }

    /**
     * The self-contained HTML report to write at the end of the run (under {@code --follow}, rewritten
     * after every chunk).
     */
    public Optional<Path> html() {
        return Optional.ofNullable(html);
    }

    /** When to draw the progress bar. */
    public Progress progress() {
        return progress;
    }

    /** Rows of the sections and hosts tables. */
    public int top() {
        return top;
    }

    /** The wall clock, read for the quiet timeout. */
    public InstantSource clock() {
        return clock;
    }

    /** How often a followed file, or quiet stdin, is looked at again. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * Threads that parse a regular file's lines (not {@code --follow}, not stdin); 1 reads it on the calling thread
     * alone. Whatever the count, the report is the same, byte for byte.
     */
    public int threads() {
        return threads;
    }

    /** The bytes of a file each parsing thread takes at a time; smaller in tests, to cut small files in many parts. */
    int partBytes() {
        return partBytes;
    }

    /** The formats {@link #format()} names and detection chooses from. */
    public LogFormats formats() {
        return formats;
    }

    /** Listeners besides the console report, called in order. */
    public List<MonitorListener> listeners() {
        return listeners;
    }

    /** Listeners of every request read. */
    public List<RecordListener> recordListeners() {
        return recordListeners;
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.file = file;
        b.follow = follow;
        b.format = format;
        b.chunkSize = chunkSize;
        b.threshold = threshold;
        b.window = window;
        b.lateness = lateness;
        b.timeout = timeout;
        b.maxJump = maxJump;
        b.output = output;
        b.json = json;
        b.tui = tui;
        b.html = html;
        b.progress = progress;
        b.top = top;
        b.clock = clock;
        b.pollInterval = pollInterval;
        b.threads = threads;
        b.partBytes = partBytes;
        b.formats = formats;
        b.listeners.addAll(listeners);
        b.recordListeners.addAll(recordListeners);
        return b;
    }

    /**
     * Builds {@link MonitorOptions}; starts from the defaults. {@link #build()} checks the values and
     * throws {@link MonitorException} naming the flag and the problem.
     */
    public static final class Builder {

        private Path file;
        private boolean follow;
        private String format;
        private Duration chunkSize = DEFAULT_CHUNK_SIZE;
        private double threshold = DEFAULT_THRESHOLD;
        private Duration window = DEFAULT_WINDOW;
        private Duration lateness = DEFAULT_LATENESS;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration maxJump = DEFAULT_MAX_JUMP;
        private Path output;
        private boolean json;
        private boolean tui;
        private Path html;
        private Progress progress = Progress.AUTO;
        private int top = DEFAULT_TOP;
        private InstantSource clock = InstantSource.system();
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int threads = DEFAULT_THREADS;
        private int partBytes = ParallelReader.PART_BYTES;
        private LogFormats formats;
        private final List<MonitorListener> listeners = new ArrayList<>();
        private final List<RecordListener> recordListeners = new ArrayList<>();

        private Builder() {}

        /** {@code FILE}: the access log to read instead of stdin. */
        public Builder file(Path file) {
            this.file = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Read stdin (the default). */
        public Builder stdin() {
            this.file = null;
            return this;
        }

        /** {@code --follow}: keep reading the file as it grows. */
        public Builder follow(boolean follow) {
            this.follow = follow;
            return this;
        }

        /** {@code --format}: the format's name. */
        public Builder format(String format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Detect the format from the first lines (the default). */
        public Builder detectFormat() {
            this.format = null;
            return this;
        }

        /** {@code --chunksize}: log time per statistics report, whole seconds. */
        public Builder chunkSize(Duration chunkSize) {
            this.chunkSize = Objects.requireNonNull(chunkSize, "chunkSize");
            return this;
        }

        /** {@code --threshold}: requests per second over the window above which the alert is raised. */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** {@code --window}: the alert's averaging window, whole seconds. */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /** {@code --lateness}: how far behind the newest line a line may still count, whole seconds. */
        public Builder lateness(Duration lateness) {
            this.lateness = Objects.requireNonNull(lateness, "lateness");
            return this;
        }

        /** {@code --timeout}: quiet input after which log time follows the wall clock, whole seconds. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** {@code --max-jump}: how far ahead of the log's time a line is read at once, whole seconds. */
        public Builder maxJump(Duration maxJump) {
            this.maxJump = Objects.requireNonNull(maxJump, "maxJump");
            return this;
        }

        /** {@code --output}: also write the report to this file (replacing it). */
        public Builder output(Path output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** {@code --json}: JSON lines instead of text. */
        public Builder json(boolean json) {
            this.json = json;
            return this;
        }

        /** {@code --tui}: the full-screen live view instead of the report, when stdout is a terminal. */
        public Builder tui(boolean tui) {
            this.tui = tui;
            return this;
        }

        /** {@code --html}: write the run as a self-contained HTML report to this file (replacing it). */
        public Builder html(Path html) {
            this.html = Objects.requireNonNull(html, "html");
            return this;
        }

        /** {@code --progress}: when to draw the progress bar. */
        public Builder progress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** {@code --top}: rows of the sections and hosts tables. */
        public Builder top(int top) {
            this.top = top;
            return this;
        }

        /** The wall clock for the quiet timeout; tests pass one they move by hand. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often a followed file or quiet stdin is looked at again; default 200 ms. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /** {@code --threads}: threads parsing a regular file; by default {@link MonitorOptions#DEFAULT_THREADS}. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** The bytes of a file each parsing thread takes at a time; at least 1. */
        Builder partBytes(int partBytes) {
            if (partBytes < 1) {
                throw new IllegalArgumentException("partBytes must be positive; got " + partBytes);
            }
            this.partBytes = partBytes;
            return this;
        }

        /** The formats to choose from; by default those {@link LogFormats#fromServiceLoader()} finds. */
        public Builder formats(LogFormats formats) {
            this.formats = Objects.requireNonNull(formats, "formats");
            return this;
        }

        /** Adds a listener of chunks, alerts and the summary. */
        public Builder listener(MonitorListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds a listener of every request read. */
        public Builder recordListener(RecordListener listener) {
            recordListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The options.
         *
         * @throws MonitorException when a value is out of range, naming the flag
         */
        public MonitorOptions build() {
            if (file != null && file.toString().isEmpty()) {
                throw new MonitorException("--file needs a value");
            }
            if (format != null && format.isBlank()) {
                throw new MonitorException("--format needs a value");
            }
            if (output != null && output.toString().isEmpty()) {
                throw new MonitorException("--output needs a value");
            }
            if (html != null && html.toString().isEmpty()) {
                throw new MonitorException("--html needs a value");
            }
            if (html != null && (html.equals(file) || html.equals(output))) {
                throw new MonitorException("--html must name a file of its own; got '" + html + "'");
            }
            if (follow && file == null) {
                throw new MonitorException("--follow needs a FILE to follow; stdin is read until it closes anyway");
            }
            requireSeconds("chunksize", chunkSize, 1);
            requireSeconds("window", window, 1);
            requireSeconds("lateness", lateness, 0);
            requireSeconds("timeout", timeout, 1);
            requireSeconds("max-jump", maxJump, 1);
            if (window.toSeconds() + lateness.toSeconds() > MAX_SPAN_SECONDS) {
                throw new MonitorException("--window plus --lateness must not exceed 7 days");
            }
            if (!Double.isFinite(threshold) || threshold < 0) {
                throw new MonitorException(
                        "--threshold must be a number of requests per second, 0 or more; got " + threshold);
            }
            if (top < 1) {
                throw new MonitorException("--top must be at least 1; got " + top);
            }
            if (threads < 1 || threads > MAX_THREADS) {
                throw new MonitorException("--threads must be from 1 to " + MAX_THREADS + "; got " + threads);
            }
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new MonitorException("the poll interval must be positive; got " + pollInterval);
            }
            return new MonitorOptions(this);
        }

        private static void requireSeconds(String flag, Duration value, long min) {
            if (value.toNanosPart() != 0 || value.toSeconds() < min) {
                throw new MonitorException(
                        "--" + flag + " must be whole seconds, at least " + min + "s; got " + value.toMillis() + "ms");
            }
        }
    }
}
