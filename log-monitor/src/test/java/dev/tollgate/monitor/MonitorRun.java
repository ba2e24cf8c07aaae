package dev.tollgate.monitor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One finished run of the monitor with what it printed. */
record MonitorRun(int exitCode, String out, String err) {

    private static final Pattern ALERT =
            Pattern.compile("High traffic generated an alert - hits = (\\d+), triggered at (\\d+) \\(.* UTC\\)");
    private static final Pattern RECOVERY = Pattern.compile("High traffic alert recovered at (\\d+) \\(.* UTC\\)");

    /** Runs the monitor over {@code stdin} (unused when the options name a file). */
    static MonitorRun of(MonitorOptions options, String stdin) {
        return of(options, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    static MonitorRun of(MonitorOptions options, InputStream stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exitCode = LogMonitor.run(options, stdin, o, e);
        }
        return new MonitorRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The epoch seconds of the alert lines, in order. */
    List<Long> alertSeconds() {
        return ALERT.matcher(out).results().map(m -> Long.parseLong(m.group(2))).toList();
    }

    /** The hits of the alert lines, in order. */
    List<Long> alertHits() {
        return ALERT.matcher(out).results().map(m -> Long.parseLong(m.group(1))).toList();
    }

    /** The epoch seconds of the recovery lines, in order. */
    List<Long> recoverySeconds() {
        return RECOVERY.matcher(out)
                .results()
                .map(m -> Long.parseLong(m.group(1)))
                .toList();
    }

    /** The alert and recovery lines in the order printed: {@code +second} for alerts, {@code -second} for recoveries. */
    List<Long> alertSequence() {
        Matcher m = Pattern.compile(ALERT.pattern() + "|" + RECOVERY.pattern()).matcher(out);
        return m.results()
                .map(r -> r.group(2) != null ? Long.parseLong(r.group(2)) : -Long.parseLong(r.group(3)))
                .toList();
    }

    /** The lines of stderr. */
    List<String> errLines() {
        return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
}
