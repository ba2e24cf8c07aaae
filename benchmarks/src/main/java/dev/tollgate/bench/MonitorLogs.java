package dev.tollgate.bench;

import dev.tollgate.monitor.SyntheticAccessLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the same generated traffic as a CSV access log and as a Combined Log Format log, for the monitor benchmark
 * ({@code benchmarks/monitor/run.sh}): {@code DIR/access.csv} and {@code DIR/access.log}.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.tollgate.bench.MonitorLogs DIR [lines]}
 */
public final class MonitorLogs {

    private MonitorLogs() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long lines = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
        Files.createDirectories(dir);
        long csv = SyntheticAccessLog.writeCsv(dir.resolve("access.csv"), lines, 42);
        long combined = SyntheticAccessLog.writeCombined(dir.resolve("access.log"), lines, 42);
        System.out.printf("%,d requests: access.csv %,d bytes, access.log %,d bytes%n", lines, csv, combined);
    }
}
