package dev.tollgate.monitor;

import dev.tollgate.core.Printable;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;
import org.jline.utils.Signals;

/**
 * The full-screen live view of {@code tollgate monitor --tui}, drawn with JLine on the process's terminal: the
 * request rate now and over the alert window against the threshold, the alert and its history, the last chunk's
 * top tables, the counts and the read position. It is a {@link MonitorListener} like the console report, so every
 * figure on it is one the report gives. Redrawn on each progress report (about once a second of wall time) and on
 * each key; {@code q} quits, {@code p} freezes the screen, {@code t} shows the next top table, {@code ?} the keys.
 *
 * <p>The reading thread calls the listener methods, a daemon thread reads the keys; both draw under this object's
 * lock. {@link #close} leaves the alternate screen and gives the terminal back its attributes.
 */
final class TerminalView implements MonitorListener, AutoCloseable {

    /** Seconds of rate history kept: more than any terminal is wide. */
    private static final int HISTORY = 1024;
    /** Alerts and recoveries kept for the history on the screen. */
    private static final int ALERTS_KEPT = 50;
    /** Rows of the window-rate chart. */
    private static final int CHART_ROWS = 6;

    private static final String SPARKS = " ▁▂▃▄▅▆▇█";
    private static final String[] TABLES = {"sections", "hosts", "methods", "status codes"};

    private final Terminal terminal;
    private final Attributes saved;
    private final Display display;
    private final String source;
    private final boolean follow;
    private final double threshold;
    private final long window;
    private final Runnable stop;
    private final Thread keys;
    private TtyModes tty;
    /** The handler of SIGINT before this view's, put back on close; null when none could be registered. */
    private Object previousInterrupt;

    private final long[] seconds = new long[HISTORY];
    private final long[] perSecond = new long[HISTORY];
    private final long[] windowHits = new long[HISTORY];
    private int secondCount;
    private final Deque<TrafficAlert> alerts = new ArrayDeque<>();
    private long raised;
    private long recovered;
    private boolean alerting;
    private ChunkReport lastChunk;
    private long bytes;
    private MonitorProgress progress =
            new MonitorProgress(0, 0, 0, 0, 0, java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), false);
    private Optional<String> format = Optional.empty();
    private boolean ended;

    private boolean paused;
    private boolean help;
    private int table;
    private boolean quit;
    private boolean closed;

    private TerminalView(
            Terminal terminal, String source, boolean follow, double threshold, long window, Runnable stop) {
        this.terminal = terminal;
        this.source = source;
        this.follow = follow;
        this.threshold = threshold;
        this.window = window;
        this.stop = stop;
        this.saved = terminal.enterRawMode();
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        this.display = new Display(terminal, true);
        this.keys = new Thread(this::readKeys, "tollgate-monitor-keys");
        keys.setDaemon(true);
    }

    /**
     * Takes over the terminal on stdout; empty, with the reason, when there is none (stdout redirected, no
     * terminal provider).
     *
     * @param stop called when {@code q} is pressed while the input is still being read
     */
    static Opened open(String source, boolean follow, double threshold, long window, Runnable stop) {
        boolean stdinIsTerminal;
        try {
            TerminalProvider provider = TerminalProvider.load("jni");
            if (!provider.isSystemStream(SystemStream.Output)) {
                return new Opened(Optional.empty(), "stdout is not a terminal");
            }
            stdinIsTerminal = provider.isSystemStream(SystemStream.Input);
        } catch (IOException | RuntimeException | LinkageError e) {
            return new Opened(Optional.empty(), "no terminal provider (" + e.getMessage() + ")");
        }
        Terminal terminal;
        TtyModes tty = null;
        try {
            if (stdinIsTerminal) {
                terminal = TerminalBuilder.builder()
                        .system(true)
                        .dumb(false)
                        .jni(true)
                        .nativeSignals(true)
                        .signalHandler(Terminal.SignalHandler.SIG_DFL)
                        .build();
            } else {
                // the log comes on stdin: the keys come from the controlling terminal, which stty sets up
                tty = TtyModes.keysOneByOne();
                terminal = TerminalBuilder.builder()
                        .system(false)
                        .streams(new FileInputStream(TtyModes.TTY), new FileOutputStream(TtyModes.TTY))
                        .type(Optional.ofNullable(System.getenv("TERM")).orElse("xterm"))
                        .encoding(StandardCharsets.UTF_8)
                        .size(tty.size())
                        .build();
            }
        } catch (IOException | RuntimeException e) {
            if (tty != null) {
                tty.restore();
            }
            return new Opened(Optional.empty(), "the terminal cannot be used (" + e.getMessage() + ")");
        }
        if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
            closeQuietly(terminal);
            return new Opened(Optional.empty(), "the terminal cannot position the cursor (TERM is dumb)");
        }
        TerminalView view = new TerminalView(terminal, source, follow, threshold, window, stop);
        view.tty = tty;
        // Ctrl-C stops the run like q, so the screen is closed by the thread that drew it, not by a shutdown
        view.previousInterrupt = Signals.register("INT", stop);
        view.keys.start();
        view.draw();
        return new Opened(Optional.of(view), "");
    }

    /** The view, or why there is none. */
    record Opened(Optional<TerminalView> view, String reason) {}

    @Override
    public synchronized void onChunk(ChunkReport chunk) {
        lastChunk = chunk;
        bytes += chunk.bytes();
    }

    @Override
    public synchronized void onAlert(TrafficAlert alert) {
        if (alert.kind() == TrafficAlert.Kind.HIGH) {
            raised++;
            alerting = true;
        } else {
            recovered++;
            alerting = false;
        }
        alerts.addFirst(alert);
        if (alerts.size() > ALERTS_KEPT) {
            alerts.removeLast();
        }
    }

    @Override
    public synchronized void onSecond(SecondCount second) {
        int i = secondCount++ % HISTORY;
        seconds[i] = second.epochSecond();
        perSecond[i] = second.requests();
        windowHits[i] = second.windowRequests();
    }

    @Override
    public void onProgress(MonitorProgress now) {
        synchronized (this) {
            progress = now;
        }
        draw();
    }

    @Override
    public void onFinish(MonitorSummary summary) {
        synchronized (this) {
            format = summary.format();
            ended = true;
        }
        draw();
    }

    /** Waits, after the input ended, until {@code q} is pressed, {@link #release} is called or the view closes. */
    synchronized void awaitQuit() throws InterruptedException {
        while (!quit && !closed) {
            wait();
        }
    }

    /** Ends {@link #awaitQuit} as {@code q} does: the run was stopped from elsewhere. */
    synchronized void release() {
        quit = true;
        notifyAll();
    }

    /** Leaves the full screen and gives the terminal back as it was; safe to call twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        keys.interrupt();
        if (previousInterrupt != null) {
            Signals.unregister("INT", previousInterrupt);
        }
        try {
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
        } catch (RuntimeException e) {
            // the terminal was closed under us (JLine closes it when the JVM shuts down)
        } finally {
            if (tty == null) {
                closeQuietly(terminal);
            } else {
                // closing would make JLine's thread pumping the tty report the closed stream on stderr; the
                // process ends soon after, and the tty's own modes are what counts
                tty.restore();
            }
        }
    }

    /**
     * The modes of the controlling terminal, {@value #TTY}, when stdin is the log and not the terminal: JLine
     * sets the modes of a terminal on stdin only, so {@code stty} reads each key at once, without echo, and puts
     * the modes back afterwards. Ctrl-C still interrupts ({@code isig} stays on).
     */
    private static final class TtyModes {
        static final String TTY = "/dev/tty";
        private final String saved;
        private final Size size;

        private TtyModes(String saved, Size size) {
            this.saved = saved;
            this.size = size;
        }

        static TtyModes keysOneByOne() throws IOException {
            String saved = stty("-g").trim();
            String rowsCols = stty("size").trim();
            int space = rowsCols.indexOf(' ');
            if (space < 0) {
                throw new IOException("stty size answered '" + rowsCols + "'");
            }
            Size size = new Size(
                    Integer.parseInt(rowsCols.substring(space + 1).trim()),
                    Integer.parseInt(rowsCols.substring(0, space)));
            stty("-icanon", "-echo", "min", "1", "time", "0");
            return new TtyModes(saved, size);
        }

        Size size() {
            return size;
        }

        void restore() {
            try {
                stty(saved);
            } catch (IOException | RuntimeException e) {
                // nothing more can be given back
            }
        }

        private static String stty(String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add("stty");
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command)
                    .redirectInput(new File(TTY))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (process.waitFor() != 0) {
                    throw new IOException("stty " + String.join(" ", args) + " failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return output;
        }
    }

    private void readKeys() {
        NonBlockingReader reader = terminal.reader();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                int c = reader.read(250);
                if (c == NonBlockingReader.READ_EXPIRED) {
                    continue;
                }
                if (c < 0) {
                    return;
                }
                if (key((char) c)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the terminal went away: the run goes on without keys
        }
    }

    /** Acts on a key; true when it was the last one to read. */
    private boolean key(char c) {
        boolean stopRun = false;
        synchronized (this) {
            if (closed) {
                return true;
            }
            switch (Character.toLowerCase(c)) {
                case 'q' -> {
                    quit = true;
                    stopRun = !ended;
                    notifyAll();
                }
                case 'p' -> paused = !paused;
                case 't' -> table = (table + 1) % TABLES.length;
                case '?', 'h' -> help = !help;
                default -> help = false;
            }
        }
        if (stopRun) {
            stop.run();
            return true;
        }
        if (!quit) {
            draw(true);
        }
        return quit;
    }

    private void draw() {
        draw(false);
    }

    private synchronized void draw(boolean byKey) {
        if (closed || (paused && !byKey && !ended)) {
            return;
        }
        Size size = terminal.getSize();
        int rows = Math.max(1, size.getRows());
        int cols = Math.max(20, size.getColumns());
        display.resize(rows, cols);
        List<AttributedString> lines = new ArrayList<>();
        for (Line line : screen(cols)) {
            if (lines.size() == rows) {
                break;
            }
            String text = line.text().length() > cols ? line.text().substring(0, cols) : line.text();
            lines.add(new AttributedString(text, line.style()));
        }
        while (lines.size() < rows) {
            lines.add(AttributedString.EMPTY);
        }
        try {
            display.update(lines, -1);
            terminal.flush();
        } catch (UncheckedIOException | IllegalStateException e) {
            // the terminal went away: the run ends anyway
        }
    }

    private record Line(String text, AttributedStyle style) {
        static Line plain(String text) {
            return new Line(text, AttributedStyle.DEFAULT);
        }
    }

    private List<Line> screen(int cols) {
        List<Line> out = new ArrayList<>();
        String state =
                paused ? "PAUSED (p resumes)" : ended ? "input ended, q quits" : follow ? "following" : "reading";
        String head =
                " tollgate monitor  [" + state + "]" + format.map(f -> "  " + f).orElse("") + "  ";
        String keysHint = "  q quit  p pause  t table  ? help ";
        String shownSource = Printable.escape(source);
        int room = Math.max(0, cols - head.length() - keysHint.length());
        if (shownSource.length() > room) {
            shownSource = room == 0 ? "" : "…" + shownSource.substring(shownSource.length() - room + 1);
        }
        String title = head + shownSource;
        int gap = Math.max(0, cols - title.length() - keysHint.length());
        out.add(new Line(title + " ".repeat(gap) + keysHint, AttributedStyle.INVERSE));
        long last = secondCount == 0 ? 0 : perSecond[(secondCount - 1) % HISTORY];
        double rate = secondCount == 0 ? 0 : windowHits[(secondCount - 1) % HISTORY] / (double) window;
        String logTime = progress.newestSecond().isPresent()
                ? TimeText.utc(progress.newestSecond().getAsLong()) + " UTC"
                : "-";
        out.add(Line.plain("log time  " + logTime + "   requests/s now " + last + "   window " + window + "s avg "
                + number(rate) + "   threshold " + number(threshold)));
        if (alerting) {
            TrafficAlert high = alerts.peekFirst();
            out.add(new Line(
                    "ALERT     high traffic since " + TimeText.utc(high.epochSecond()) + " UTC, hits " + high.hits(),
                    AttributedStyle.BOLD.foreground(AttributedStyle.RED)));
        } else {
            out.add(new Line("alert     none", AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN)));
        }
        out.add(Line.plain("requests " + progress.records() + "   bytes " + bytes + "   bad " + progress.badLines()
                + "   late " + progress.lateLines() + "   lines " + progress.lines()));
        out.add(Line.plain(readPosition(cols)));
        out.add(Line.plain(""));
        if (help) {
            out.add(Line.plain("keys"));
            out.add(Line.plain("  q   quit (the summary is printed after the screen closes)"));
            out.add(Line.plain("  p   pause: freeze the screen while reading goes on; p again resumes"));
            out.add(Line.plain("  t   next top table: sections, hosts, methods, status codes"));
            out.add(Line.plain("  ?   this help; any other key closes it"));
            return out;
        }
        int width = Math.min(HISTORY, Math.max(10, cols - 22));
        out.add(Line.plain("requests/s " + sparkline(width)));
        out.addAll(chart(width));
        out.add(Line.plain(""));
        out.add(Line.plain("alerts    " + raised + " raised, " + recovered + " recovered"));
        int shown = 0;
        for (TrafficAlert alert : alerts) {
            if (shown++ == 4) {
                break;
            }
            out.add(Line.plain("  " + (alert.kind() == TrafficAlert.Kind.HIGH ? "raised    " : "recovered ")
                    + TimeText.utc(alert.epochSecond()) + " UTC  hits " + alert.hits()));
        }
        out.add(Line.plain(""));
        out.addAll(topTable());
        return out;
    }

    private String readPosition(int cols) {
        if (progress.totalBytes().isEmpty()) {
            return "read      " + progress.bytesRead() + " bytes";
        }
        long total = progress.totalBytes().getAsLong();
        double fraction = total <= 0 ? 1.0 : Math.min(1.0, progress.bytesRead() / (double) total);
        int barWidth = Math.max(10, Math.min(50, cols - 50));
        int filled = (int) Math.round(fraction * barWidth);
        return "read      [" + "#".repeat(filled) + "-".repeat(barWidth - filled) + "] " + Math.round(fraction * 100)
                + "%  " + progress.bytesRead() + " of " + total + " bytes";
    }

    /** The requests of each of the last {@code width} seconds, one character each. */
    private String sparkline(int width) {
        int n = Math.min(width, Math.min(secondCount, HISTORY));
        long max = 1;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, perSecond[(secondCount - 1 - k) % HISTORY]);
        }
        StringBuilder line = new StringBuilder(n);
        for (int k = n - 1; k >= 0; k--) {
            long v = perSecond[(secondCount - 1 - k) % HISTORY];
            line.append(SPARKS.charAt((int) Math.round(v * (SPARKS.length() - 1) / (double) max)));
        }
        return line + "  max " + max;
    }

    /** The window's average rate over the last {@code width} seconds, with the threshold as a line of dashes. */
    private List<Line> chart(int width) {
        int n = Math.min(width, Math.min(secondCount, HISTORY));
        double max = threshold * 1.5;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, windowHits[(secondCount - 1 - k) % HISTORY] / (double) window);
        }
        if (max <= 0) {
            max = 1;
        }
        int thresholdRow = (int) Math.ceil(threshold / max * CHART_ROWS);
        List<Line> rows = new ArrayList<>();
        rows.add(Line.plain("window average, last " + n + " s; threshold " + number(threshold) + " is the - line"));
        for (int r = CHART_ROWS; r >= 1; r--) {
            double level = max * (r - 0.5) / CHART_ROWS;
            StringBuilder line = new StringBuilder(width + 10);
            line.append(String.format(Locale.ROOT, "%8s ", r == CHART_ROWS ? number(max) : r == 1 ? "0" : ""));
            for (int k = n - 1; k >= 0; k--) {
                double v = windowHits[(secondCount - 1 - k) % HISTORY] / (double) window;
                line.append(v >= level ? '█' : r == thresholdRow ? '-' : ' ');
            }
            rows.add(Line.plain(line.toString()));
        }
        return rows;
    }

    private List<Line> topTable() {
        List<Line> rows = new ArrayList<>();
        String name = TABLES[table];
        if (lastChunk == null) {
            rows.add(Line.plain("top " + name + "  (no chunk yet; t: next table)"));
            return rows;
        }
        rows.add(new Line(
                "top " + name + "  chunk " + TimeText.utc(lastChunk.firstSecond()) + " .. "
                        + TimeText.clock(lastChunk.lastSecond()) + " UTC, " + lastChunk.requests()
                        + " requests  (t: next table)",
                AttributedStyle.BOLD));
        switch (table) {
            case 0 -> lastChunk.sections().forEach(e -> rows.add(row(e.name(), e.hits(), lastChunk.requests())));
            case 1 -> lastChunk.hosts().forEach(e -> rows.add(row(e.name(), e.hits(), lastChunk.requests())));
            case 2 -> lastChunk.methods().forEach((m, hits) -> rows.add(row(m, hits, lastChunk.requests())));
            default -> {
                for (Map.Entry<Integer, Long> e : lastChunk.statusCodes().entrySet()) {
                    rows.add(row(Integer.toString(e.getKey()), e.getValue(), lastChunk.requests()));
                }
            }
        }
        return rows;
    }

    private static Line row(String name, long hits, long all) {
        String shown = Printable.escape(name);
        if (shown.length() > 40) {
            shown = shown.substring(0, 39) + "…";
        }
        return Line.plain(
                String.format(Locale.ROOT, "  %-40s %10d  %5.1f%%", shown, hits, all == 0 ? 0.0 : hits * 100.0 / all));
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static void closeQuietly(Terminal terminal) {
        try {
            terminal.close();
        } catch (IOException ignored) {
            // nothing more to give back
        }
    }
}
