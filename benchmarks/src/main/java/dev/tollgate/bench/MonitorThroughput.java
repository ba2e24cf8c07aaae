package dev.tollgate.bench;

import dev.tollgate.monitor.LogMonitor;
import dev.tollgate.monitor.MonitorOptions;
import dev.tollgate.monitor.SyntheticAccessLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Lines per second of {@code tollgate monitor} over a generated CSV access log shaped like the
 * shared sample: the whole run (read, parse, statistics, alerts, output), repeated, median reported.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.MonitorThroughput [lines] [runs]}
 */
public final class MonitorThroughput {

    private MonitorThroughput() {}

    public static void main(String[] args) throws IOException {
        long lines = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path file = Files.createTempFile("tollgate-monitor-bench", ".csv");
        try {
            SyntheticAccessLog.writeCsv(file, lines, 42);
            System.out.printf("generated %,d lines, %,d bytes%n", lines, Files.size(file));
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
            MonitorOptions options = MonitorOptions.builder()
                    .file(file)
                    .progress(MonitorOptions.Progress.NEVER)
                    .build();
            double[] rates = new double[runs];
            for (int run = 0; run < runs; run++) {
                long started = System.nanoTime();
                int code = LogMonitor.run(options, new ByteArrayInputStream(new byte[0]), sink, sink);
                double seconds = (System.nanoTime() - started) / 1e9;
                if (code != 0) {
                    throw new IllegalStateException("the monitor exited with " + code);
                }
                rates[run] = lines / seconds;
                System.out.printf("run %d: %.2f s, %,.0f lines/s%n", run + 1, seconds, rates[run]);
            }
            Arrays.sort(rates);
            System.out.printf("median: %,.0f lines/s%n", rates[runs / 2]);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
