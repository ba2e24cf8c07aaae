package dev.tollgate.monitor;

import dev.tollgate.core.Printable;
import dev.tollgate.monitor.spi.LogFormatProvider;
import dev.tollgate.monitor.spi.LogLineParser;
import dev.tollgate.monitor.spi.ParseResult;
import dev.tollgate.monitor.spi.ParsedLine;
import dev.tollgate.monitor.spi.ParsedLine.Field;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Turns lines into requests on the {@link Timeline}: detects the format from the first lines when
 * none was chosen, parses, holds requests whose time jumps ({@link TimeJumps}), counts and reports
 * bad lines, and hands records to the record listeners.
 */
final class Ingest implements LineSplitter.LineSink, TimeJumps.Reader {

    /** Lines looked at to detect the format. */
    static final int DETECT_LINES = 10;
    /** Bad lines shown on stderr; the rest are only counted. */
    static final int SHOWN_BAD_LINES = 5;

    private final MonitorOptions options;
    private final String source;
    private final Listeners listeners;
    private final PrintStream err;
    private final ProgressBar progress;
    private final Timeline timeline;
    private final TimeJumps jumps;
    private final StatusCounts statuses = new StatusCounts();
    private final ParsedLine parsed = new ParsedLine();
    private final Sections sections = new Sections();
    private final List<byte[]> sample = new ArrayList<>();
    private final List<Long> sampleNumbers = new ArrayList<>();

    /** Lines between two looks at the wall clock for {@link #tick}. */
    private static final int TICK_LINES = 4096;
    /** Wall time between two progress reports. */
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    private LongSupplier position = () -> 0;
    private OptionalLong totalBytes = OptionalLong.empty();
    private int sinceTick;
    private long lastProgress = System.nanoTime();

    private LogFormatProvider format;
    private LogLineParser parser;
    private long lines;
    private long records;
    private long badLines;

    Ingest(
            MonitorOptions options,
            Optional<LogFormatProvider> format,
            String source,
            Listeners listeners,
            PrintStream err,
            ProgressBar progress) {
        this.options = options;
        this.source = source;
        this.listeners = listeners;
        this.err = err;
        this.progress = progress;
        this.timeline = new Timeline(
                options.window().toSeconds(),
                options.lateness().toSeconds(),
                options.chunkSize().toSeconds(),
                options.threshold(),
                options.top(),
                listeners);
        this.jumps = new TimeJumps(
                options.maxJump().toSeconds(),
                TimeText.duration(options.maxJump()),
                MonitorOptions.JUMP_CONFIRMATIONS,
                this);
        format.ifPresent(this::use);
    }

    /** Where the bytes read so far are counted, and the size of a regular file read to its end. */
    void readPosition(LongSupplier position, OptionalLong totalBytes) {
        this.position = position;
        this.totalBytes = totalBytes;
    }

    @Override
    public void line(byte[] b, int from, int to, long number) {
        lines = number;
        tickAfterLines(1);
        from = afterByteOrderMark(b, from, to, number);
        if (Ascii.isBlank(b, from, to)) {
            return;
        }
        if (parser == null) {
            sample.add(Arrays.copyOfRange(b, from, to));
            sampleNumbers.add(number);
            if (sample.size() >= DETECT_LINES) {
                detect();
            }
            return;
        }
        parse(b, from, to, number);
    }

    /** Where line {@code number}'s text starts: after the UTF-8 byte order mark the first line may begin with. */
    static int afterByteOrderMark(byte[] b, int from, int to, long number) {
        if (number == 1
                && to - from >= 3
                && b[from] == (byte) 0xEF
                && b[from + 1] == (byte) 0xBB
                && b[from + 2] == (byte) 0xBF) {
            return from + 3;
        }
        return from;
    }

    /** A blank line another thread found: only counted as read. */
    void blank(long number) {
        lines = number;
        tickAfterLines(1);
    }

    /**
     * A line another thread parsed into {@code parsed} with the chosen format's parser, read as {@link #line} reads
     * the lines it parses itself.
     */
    void parsed(ParseResult result, ParsedLine parsed, byte[] b, int from, int to, long number) {
        lines = number;
        tickAfterLines(1);
        account(result, parsed, b, from, to, number);
    }

    /** Whether the record listeners want every request: then no part may be counted on another thread. */
    boolean wantsRecords() {
        return listeners.wantRecords();
    }

    /**
     * Whether the body of {@code part}, whose head was just taken, may be taken counted: the worker counted it from the
     * state this ingest is in now (the newest second, no request held for a jump of time) and no record listener
     * wants its requests one by one.
     */
    boolean takesSummed(PartSummary part) {
        return part.summable()
                && !listeners.wantRecords()
                && timeline.started()
                && timeline.newest() == part.headNewest()
                && !jumps.holding();
    }

    /**
     * Takes the body of {@code part} as counted by a worker, its first line being line {@code firstNumber} and its
     * last {@code lastNumber}; only when {@link #takesSummed} said so.
     */
    void summed(PartSummary part, long firstNumber, long lastNumber) {
        part.takeBody(this, timeline, firstNumber);
        records += part.records();
        statuses.addAll(part.statuses());
        tickAfterLines((int) (lastNumber - lines));
        lines = lastNumber;
    }

    /** A bad line another thread found, {@code b[from, to)}, with its parser's {@code problem}. */
    void badLine(long number, String problem, byte[] b, int from, int to) {
        lines = number;
        bad(number, problem.isEmpty() ? "malformed line" : problem, b, from, to);
    }

    /**
     * The format to parse with, detecting it from {@code firstLines} (the first non-blank lines, at most
     * {@link #DETECT_LINES}) when none was chosen; the lines are not read.
     *
     * @throws MonitorException when no format knows the lines
     */
    LogFormatProvider decideFormat(List<byte[]> firstLines) {
        if (format == null) {
            use(detected(firstLines));
        }
        return format;
    }

    @Override
    public void tooLong(long number) {
        lines = number;
        bad(number, "the line is longer than " + LineSplitter.MAX_LINE + " bytes", null, 0, 0);
    }

    /** The input paused or ended: decide the format on the lines there are, if not yet done. */
    void pause() {
        if (parser == null && !sample.isEmpty()) {
            detect();
        }
        tick();
    }

    private void tickAfterLines(int n) {
        sinceTick += n;
        if (sinceTick >= TICK_LINES) {
            sinceTick = 0;
            tick();
        }
    }

    /** Reports the progress when a second of wall time has passed since the last report. */
    private void tick() {
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_NANOS) {
            lastProgress = now;
            listeners.progress(progress(false));
        }
    }

    private MonitorProgress progress(boolean ended) {
        return new MonitorProgress(
                lines,
                records,
                badLines,
                timeline.late(),
                position.getAsLong(),
                totalBytes,
                timeline.started() ? OptionalLong.of(timeline.newest()) : OptionalLong.empty(),
                ended);
    }

    /** Log time follows the wall clock to {@code second}. */
    void advanceTo(long second) {
        timeline.advanceTo(second);
    }

    /** The input was quiet for {@code --timeout}: requests held before the clock started are read. */
    void quiet() {
        jumps.quiet();
    }

    @Override
    public boolean started() {
        return timeline.started();
    }

    @Override
    public long newest() {
        return timeline.newest();
    }

    /** Ends the run: decides the held requests, closes the last seconds and chunk. */
    MonitorSummary finish(Duration elapsed) {
        pause();
        jumps.end();
        timeline.finish();
        listeners.progress(progress(true));
        return new MonitorSummary(
                Optional.ofNullable(format).map(LogFormatProvider::name),
                lines,
                records,
                badLines,
                timeline.late(),
                timeline.alerts(),
                timeline.recoveries(),
                timeline.started() ? OptionalLong.of(timeline.earliest()) : OptionalLong.empty(),
                timeline.started() ? OptionalLong.of(timeline.newest()) : OptionalLong.empty(),
                elapsed,
                statuses.classes(),
                statuses.codes());
    }

    private void detect() {
        use(detected(sample));
        for (int i = 0; i < sample.size(); i++) {
            byte[] line = sample.get(i);
            parse(line, 0, line.length, sampleNumbers.get(i));
        }
        sample.clear();
        sampleNumbers.clear();
    }

    private LogFormatProvider detected(List<byte[]> firstLines) {
        return options.formats()
                .detect(firstLines)
                .orElseThrow(() -> new MonitorException("cannot tell the format of " + source + " from its first "
                        + firstLines.size() + " line(s); choose one with --format (known: "
                        + options.formats().knownNames() + ")"));
    }

    private void use(LogFormatProvider provider) {
        format = provider;
        parser = provider.create();
    }

    private void parse(byte[] b, int from, int to, long number) {
        parsed.reset();
        account(parser.parse(b, from, to, parsed), parsed, b, from, to, number);
    }

    private void account(ParseResult result, ParsedLine line, byte[] b, int from, int to, long number) {
        switch (result) {
            case RECORD -> {
                if (!jumps.holds(line, b, from, to, number)) {
                    read(line, number);
                }
            }
            case SKIP -> {}
            case BAD -> bad(number, line.problem().isEmpty() ? "malformed line" : line.problem(), b, from, to);
        }
    }

    @Override
    public void read(ParsedLine line, long number) {
        records++;
        statuses.add(line.status());
        boolean placed = timeline.place(line);
        if (listeners.wantRecords()) {
            listeners.record(record(line, number), !placed);
        }
    }

    @Override
    public void outOfRange(long number, String reason, String shown) {
        listeners.badLine(number, reason);
        if (counted()) {
            show(number, reason, shown);
        }
    }

    private LogRecord record(ParsedLine line, long number) {
        sections.find(line.array(Field.PATH), line.from(Field.PATH), line.to(Field.PATH));
        return new LogRecord(
                number,
                line.text(Field.HOST).orElseThrow(),
                line.epochSecond(),
                line.text(Field.METHOD).orElseThrow(),
                line.text(Field.PATH).orElseThrow(),
                sections.text(),
                line.status(),
                line.bytes(),
                line.text(Field.USER),
                line.text(Field.REFERER),
                line.text(Field.USER_AGENT));
    }

    /** Counts a bad line; the first few are shown, with {@code b[from, to)} unless {@code b} is null. */
    private void bad(long number, String problem, byte[] b, int from, int to) {
        listeners.badLine(number, problem);
        if (counted()) {
            show(number, problem, b == null ? null : Ascii.show(b, from, to));
        }
    }

    /** Counts a bad line: true while they are still shown. */
    private boolean counted() {
        badLines++;
        if (badLines == SHOWN_BAD_LINES + 1) {
            progress.clear();
            err.println("tollgate monitor: more bad lines; they are counted in the summary, not shown");
        }
        return badLines <= SHOWN_BAD_LINES;
    }

    /** Shows a bad line; its text, the problem (which may quote it) and the file name are escaped. */
    private void show(long number, String problem, String line) {
        progress.clear();
        String text = line == null ? "" : ": " + Printable.escape(line);
        err.println("tollgate monitor: " + Printable.escape(source) + " line " + number + " skipped, "
                + Printable.escape(problem) + text);
    }
}
