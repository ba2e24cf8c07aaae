package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.monitor.LogMonitor;
import dev.tollgate.monitor.LogRecord;
import dev.tollgate.monitor.MonitorListener;
import dev.tollgate.monitor.MonitorOptions;
import dev.tollgate.monitor.MonitorSummary;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** An access log read back by the log monitor, the way {@code tollgate monitor FILE} reads it. */
record AccessLogReadBack(List<LogRecord> records, MonitorSummary summary, String err) {

    /** Reads {@code file} to its end with the monitor's {@code format} parser; fails if the monitor does. */
    static AccessLogReadBack read(Path file, String format) {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        AtomicReference<MonitorSummary> summary = new AtomicReference<>();
        MonitorOptions options = MonitorOptions.builder()
                .file(file)
                .format(format)
                .maxJump(Duration.ofDays(365))
                .progress(MonitorOptions.Progress.NEVER)
                .recordListener((record, late) -> records.add(record))
                .listener(new MonitorListener() {
                    @Override
                    public void onFinish(MonitorSummary finished) {
                        summary.set(finished);
                    }
                })
                .build();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LogMonitor.run(
                options,
                InputStream.nullInputStream(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(errors).isZero();
        return new AccessLogReadBack(List.copyOf(records), summary.get(), errors);
    }
}
