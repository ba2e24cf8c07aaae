package dev.tollgate.app;

import dev.tollgate.monitor.LogMonitor;
import dev.tollgate.monitor.MonitorException;
import dev.tollgate.monitor.MonitorOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate monitor [FILE]}: traffic statistics and high-traffic alerts from an access log. See docs/monitor.md. */
@Command(
        name = "monitor",
        mixinStandardHelpOptions = true,
        description = "Print traffic statistics and high-traffic alerts from an access log (FILE, or stdin).")
final class MonitorCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The access log; stdin when absent.")
    Path file;

    @Option(names = "--follow", description = "Keep reading FILE as it grows; survives rotation and truncation.")
    boolean follow;

    @Option(names = "--format", paramLabel = "NAME", description = "csv, common or combined; detected when absent.")
    String format;

    @Option(
            names = "--chunksize",
            paramLabel = "DURATION",
            description = "Seconds of log time per report (default 10s).")
    String chunkSize;

    @Option(
            names = "--threshold",
            paramLabel = "RATE",
            description = "Requests per second that raise an alert (default 10).")
    String threshold;

    @Option(names = "--window", paramLabel = "DURATION", description = "Window the rate is averaged over (default 2m).")
    String window;

    @Option(
            names = "--lateness",
            paramLabel = "DURATION",
            description = "How late a line may arrive and still count (default 2s).")
    String lateness;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Quiet input after which the wall clock moves time (default 10s).")
    String timeout;

    @Option(
            names = "--max-jump",
            paramLabel = "DURATION",
            description = "How far ahead of the log's time a line may be "
                    + "before it waits for 3 lines to confirm the jump; an unconfirmed one is a bad line (default 1h).")
    String maxJump;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the output to this file.")
    Path output;

    @Option(names = "--json", description = "One JSON object per chunk and per alert.")
    boolean json;

    @Option(
            names = "--progress",
            paramLabel = "auto|always|never",
            description = "Progress bar on stderr (default auto).")
    String progress;

    @Option(names = "--top", paramLabel = "N", description = "Rows in the top sections and hosts (default 5).")
    String top;

    @Option(
            names = "--rules",
            paramLabel = "CONFIG",
            description =
                    "Replay every line through this configuration's "
                            + "rules, with log time as the limiter clock; record the events to its store and report who would be blocked.")
    Path rules;

    @Option(
            names = "--serve",
            description = "With --rules: serve the dashboard over the replayed events "
                    + "(on the configuration's http.host and http.port) while the replay runs.")
    boolean serve;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "CONFIG",
            description = "Send the traffic alerts through this "
                    + "configuration's alerts.channels (--rules CONFIG does too).")
    Path config;

    private final Map<String, String> env;

    MonitorCommand(Map<String, String> env) {
        this.env = env;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "file", file == null ? null : file.toString());
        put(flags, "follow", follow ? "true" : null);
        put(flags, "format", format);
        put(flags, "chunksize", chunkSize);
        put(flags, "threshold", threshold);
        put(flags, "window", window);
        put(flags, "lateness", lateness);
        put(flags, "timeout", timeout);
        put(flags, "max-jump", maxJump);
        put(flags, "output", output == null ? null : output.toString());
        put(flags, "json", json ? "true" : null);
        put(flags, "progress", progress);
        put(flags, "top", top);
        MonitorOptions.Builder builder;
        try {
            builder = MonitorOptions.builder().flags(flags);
        } catch (MonitorException e) {
            spec.commandLine().getErr().println("tollgate monitor: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return Main.CONFIG_ERROR;
        }
        if (serve && rules == null) {
            spec.commandLine().getErr().println("tollgate monitor: --serve shows a replay: it needs --rules CONFIG");
            spec.commandLine().getErr().flush();
            return Main.CONFIG_ERROR;
        }
        Path configuration = rules != null ? rules : config;
        if (configuration == null) {
            return run(builder, null);
        }
        PrintStream out = new PrintStream(new WriterStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new WriterStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
        try (MonitorSetup setup = MonitorSetup.open(ServeCommand.load(configuration, env), rules != null, serve, out)) {
            setup.replay().ifPresent(replay -> builder.recordListener(replay).listener(replay));
            if (!setup.channels().isEmpty()) {
                builder.listener(new MonitorChannels(setup.channels(), err));
            }
            return run(builder, setup);
        }
    }

    private int run(MonitorOptions.Builder builder, MonitorSetup setup) {
        MonitorOptions options;
        try {
            options = builder.build();
        } catch (MonitorException e) {
            spec.commandLine().getErr().println("tollgate monitor: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return Main.CONFIG_ERROR;
        }
        LogMonitor monitor = LogMonitor.create(options);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(
                () -> {
                    monitor.stop();
                    try {
                        main.join(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "tollgate-monitor-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            PrintStream out =
                    new PrintStream(new WriterStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
            PrintStream err =
                    new PrintStream(new WriterStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
            int code = monitor.run(System.in, out, err);
            if (setup != null && setup.replay().isPresent()) {
                setup.replay().get().report(out, options.top());
                out.flush();
            }
            return code;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stopped the monitor and waits for this thread
            }
        }
    }

    private static void put(Map<String, String> flags, String name, String value) {
        if (value != null) {
            flags.put(name, value);
        }
    }

    /** Bytes written to a PrintWriter, so the command line's streams (and tests' writers) get the output. */
    private static final class WriterStream extends java.io.OutputStream {
        private final java.io.PrintWriter writer;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        WriterStream(java.io.PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() {
            writer.write(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            writer.flush();
        }
    }
}
