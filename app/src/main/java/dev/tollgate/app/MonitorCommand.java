package dev.tollgate.app;

import dev.tollgate.monitor.LogMonitor;
import dev.tollgate.monitor.MonitorException;
import dev.tollgate.monitor.MonitorOptions;
import dev.tollgate.plugin.Durations;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
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
            converter = DurationConverter.class,
            parameterConsumer = ValueConsumer.class,
            description = "Seconds of log time per report (default 10s).")
    Duration chunkSize = MonitorOptions.DEFAULT_CHUNK_SIZE;

    @Option(
            names = "--threshold",
            paramLabel = "RATE",
            converter = NumberConverter.class,
            parameterConsumer = ValueConsumer.class,
            description = "Requests per second that raise an alert (default 10).")
    double threshold = MonitorOptions.DEFAULT_THRESHOLD;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            parameterConsumer = ValueConsumer.class,
            description = "Window the rate is averaged over (default 2m).")
    Duration window = MonitorOptions.DEFAULT_WINDOW;

    @Option(
            names = "--lateness",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            parameterConsumer = ValueConsumer.class,
            description = "How late a line may arrive and still count (default 2s).")
    Duration lateness = MonitorOptions.DEFAULT_LATENESS;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            parameterConsumer = ValueConsumer.class,
            description = "Quiet input after which the wall clock moves time (default 10s).")
    Duration timeout = MonitorOptions.DEFAULT_TIMEOUT;

    @Option(
            names = "--max-jump",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            parameterConsumer = ValueConsumer.class,
            description = "How far ahead of the log's time a line may be "
                    + "before it waits for 3 lines to confirm the jump; an unconfirmed one is a bad line (default 1h).")
    Duration maxJump = MonitorOptions.DEFAULT_MAX_JUMP;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the output to this file.")
    Path output;

    @Option(names = "--json", description = "One JSON object per chunk and per alert.")
    boolean json;

    @Option(
            names = "--tui",
            description = "A full-screen live view instead of the report (q quits, p pauses, t next table, ? help);"
                    + " the report when stdout is not a terminal.")
    boolean tui;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description =
                    "Write the run as a self-contained HTML report to FILE (rewritten every chunk with --follow).")
    Path html;

    @Option(
            names = "--progress",
            paramLabel = "auto|always|never",
            converter = ProgressConverter.class,
            parameterConsumer = ValueConsumer.class,
            description = "Progress bar on stderr (default auto).")
    MonitorOptions.Progress progress = MonitorOptions.Progress.AUTO;

    @Option(
            names = "--top",
            paramLabel = "N",
            converter = WholeNumberConverter.class,
            parameterConsumer = ValueConsumer.class,
            description = "Rows in the top sections and hosts (default 5).")
    int top = MonitorOptions.DEFAULT_TOP;

    @Option(
            names = "--threads",
            paramLabel = "N",
            converter = WholeNumberConverter.class,
            parameterConsumer = ValueConsumer.class,
            description = "Threads parsing a file (not --follow, not stdin); the report is the same whatever the count"
                    + " (default: the cores, at most 8).")
    int threads = MonitorOptions.DEFAULT_THREADS;

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

    /** The options {@link ValueConsumer} has set. */
    private final Set<ArgSpec> given = new HashSet<>();

    /** The first value {@link ValueConsumer} could not read: the message that says so. */
    private String unreadValue;

    MonitorCommand(Map<String, String> env) {
        this.env = env;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (unreadValue != null) {
            return configError(unreadValue);
        }
        MonitorOptions.Builder builder = MonitorOptions.builder()
                .follow(follow)
                .chunkSize(chunkSize)
                .threshold(threshold)
                .window(window)
                .lateness(lateness)
                .timeout(timeout)
                .maxJump(maxJump)
                .json(json)
                .tui(tui)
                .progress(progress)
                .top(top)
                .threads(threads);
        if (file != null) {
            builder.file(file);
        }
        if (format != null) {
            builder.format(format.trim().toLowerCase(Locale.ROOT));
        }
        if (output != null) {
            builder.output(output);
        }
        if (html != null) {
            builder.html(html);
        }
        if (serve && rules == null) {
            return configError("--serve shows a replay: it needs --rules CONFIG");
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
            return configError(e.getMessage());
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

    /** A value the monitor cannot use: one line naming the flag, and exit code 2. */
    private int configError(String message) {
        spec.commandLine().getErr().println("tollgate monitor: " + message);
        spec.commandLine().getErr().flush();
        return Main.CONFIG_ERROR;
    }

    /**
     * Sets an option to what its converter reads from the option's value. A value the converter
     * refuses is kept, not thrown, so that {@link #call()} reports it as it reports a value
     * {@link MonitorOptions} refuses — {@code tollgate monitor: --top takes a whole number; got 'x'}
     * and exit code 2 — rather than as a usage error; the converters' messages follow the flag's name.
     * A missing value, an option in the value's place and an option given twice remain usage errors,
     * worded as picocli words them.
     */
    static final class ValueConsumer implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            OptionSpec option = (OptionSpec) argSpec;
            String name = option.longestName();
            String described = "option '" + name + "' (" + option.paramLabel() + ")";
            CommandLine line = commandSpec.commandLine();
            if (args.isEmpty()) {
                throw new CommandLine.MissingParameterException(
                        line, argSpec, "Missing required parameter for " + described);
            }
            if (isOption(args.peek(), commandSpec)) {
                throw new CommandLine.MissingParameterException(
                        line, argSpec, "Expected parameter for option '" + name + "' but found '" + args.peek() + "'");
            }
            MonitorCommand command = (MonitorCommand) commandSpec.userObject();
            if (!command.given.add(argSpec)) {
                throw new CommandLine.OverwrittenOptionException(
                        line, argSpec, described + " should be specified only once");
            }
            String value = args.pop();
            try {
                argSpec.setValue(argSpec.converters()[0].convert(value));
            } catch (CommandLine.TypeConversionException refused) {
                if (command.unreadValue == null) {
                    command.unreadValue = name + refused.getMessage();
                }
            } catch (Exception e) {
                throw new IllegalStateException("converting " + name + " " + value, e);
            }
        }

        /** Whether picocli would take {@code arg} for an option rather than a value. */
        private static boolean isOption(String arg, CommandSpec commandSpec) {
            if (arg.equals(commandSpec.parser().endOfOptionsDelimiter())
                    || commandSpec.optionsMap().containsKey(arg)) {
                return true;
            }
            int separator = arg.indexOf(commandSpec.parser().separator());
            if (separator > 0 && commandSpec.optionsMap().containsKey(arg.substring(0, separator))) {
                return true;
            }
            return arg.length() > 2
                    && arg.startsWith("-")
                    && commandSpec.posixOptionsMap().containsKey(arg.charAt(1));
        }
    }

    /** A duration as {@link Durations#parseFlag} reads it: {@code 30}, {@code 30s}, {@code 2m}, {@code 1m30s}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parseFlag(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(": " + e.getMessage());
            }
        }
    }

    /** A number, such as {@code 12.5}. */
    static final class NumberConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String text = nonEmpty(value);
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(" takes a number; got '" + text + "'");
            }
        }
    }

    /** A whole number, such as {@code 5}. */
    static final class WholeNumberConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String text = nonEmpty(value);
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(" takes a whole number; got '" + text + "'");
            }
        }
    }

    /** {@code auto}, {@code always} or {@code never}; also {@code on}, {@code off}, {@code true}, {@code false}. */
    static final class ProgressConverter implements CommandLine.ITypeConverter<MonitorOptions.Progress> {
        @Override
        public MonitorOptions.Progress convert(String value) {
            String text = value.trim();
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "", "auto" -> MonitorOptions.Progress.AUTO;
                case "always", "true", "on" -> MonitorOptions.Progress.ALWAYS;
                case "never", "false", "off" -> MonitorOptions.Progress.NEVER;
                default ->
                    throw new CommandLine.TypeConversionException(" takes auto, always or never; got '" + text + "'");
            };
        }
    }

    private static String nonEmpty(String value) {
        String text = value.trim();
        if (text.isEmpty()) {
            throw new CommandLine.TypeConversionException(" needs a value");
        }
        return text;
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
