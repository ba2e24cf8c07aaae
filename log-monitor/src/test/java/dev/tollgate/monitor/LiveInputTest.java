package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input that arrives while the monitor runs: a pipe that goes quiet, a followed file. */
class LiveInputTest {

    @TempDir
    Path dir;

    private final ManualWallClock clock = new ManualWallClock();
    private final AtomicInteger records = new AtomicInteger();

    private MonitorOptions.Builder live() {
        return MonitorOptions.builder()
                .clock(clock)
                .pollInterval(Duration.ofMillis(10))
                .recordListener((record, late) -> records.incrementAndGet());
    }

    @Test
    void whenStdinGoesQuietLogTimeFollowsTheWallClockSoTheRecoveryStillAppears() throws Exception {
        PipedInputStream stdin = new PipedInputStream(1 << 20);
        PipedOutputStream feed = new PipedOutputStream(stdin);
        try (LiveRun run = new LiveRun(live().timeout(Duration.ofSeconds(5)).build(), stdin)) {
            feed.write(CsvLines.withHeader().at(1000, 1300).toString().getBytes(StandardCharsets.UTF_8));
            feed.flush();
            run.awaitThat("1300 records", () -> records.get() == 1300);
            assertThat(run.out()).doesNotContain("High traffic");

            clock.advance(Duration.ofSeconds(200));

            run.awaitThat("the recovery", () -> run.out().contains("High traffic alert recovered at 1120 "));
            assertThat(run.out()).contains("High traffic generated an alert - hits = 1300, triggered at 1000 ");
            assertThat(run.out().indexOf("triggered at 1000"))
                    .isLessThan(run.out().indexOf("recovered at 1120"));

            // log time keeps following the wall clock while the input stays quiet
            clock.advance(Duration.ofSeconds(30));
            run.awaitThat("the chunks of the quiet time", () -> run.out().contains("[1190 .. 1219]  no requests"));

            feed.close();
            assertThat(run.awaitExit()).isZero();
            assertThat(run.out()).contains("1,300 requests, 0 bad, 0 late", "1 alert, 1 recovery");
        }
    }

    @Test
    void linesBehindTheWallClockAfterAQuietSpellAreLate() throws Exception {
        PipedInputStream stdin = new PipedInputStream(1 << 20);
        PipedOutputStream feed = new PipedOutputStream(stdin);
        try (LiveRun run =
                new LiveRun(live().timeout(Duration.ofSeconds(5)).json(true).build(), stdin)) {
            feed.write(CsvLines.withHeader().at(1000, 4).toString().getBytes(StandardCharsets.UTF_8));
            feed.flush();
            run.awaitThat("the first records", () -> records.get() == 4);
            clock.advance(Duration.ofSeconds(60));
            run.awaitThat("an empty chunk", () -> run.out().contains("\"requests\":0"));

            feed.write(
                    "\"10.0.0.1\",\"-\",\"apache\",1001,\"GET /a HTTP/1.0\",200,1\n".getBytes(StandardCharsets.UTF_8));
            feed.close();

            assertThat(run.awaitExit()).isZero();
            assertThat(run.out()).contains("\"records\":5", "\"late_lines\":1");
        }
    }

    @Test
    void followsAFileThatGrowsIsRotatedAndIsTruncated() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(log, CsvLines.withHeader().at(1000, 10).toString());
        MonitorOptions options =
                live().file(log).follow(true).timeout(Duration.ofHours(1)).build();
        try (LiveRun run = new LiveRun(options, InputStream.nullInputStream())) {
            run.awaitThat("the first 10 records", () -> records.get() == 10);

            append(log, lines(1001, 5));
            run.awaitThat("5 appended records", () -> records.get() == 15);

            Files.move(log, dir.resolve("access.log.1"), StandardCopyOption.ATOMIC_MOVE);
            append(dir.resolve("access.log.1"), lines(1002, 1)); // the server writes on until it reopens
            Files.writeString(log, lines(1003, 4));
            run.awaitThat("the rotated file's last line and the new file", () -> records.get() == 20);

            append(log, lines(1004, 3));
            run.awaitThat("records appended to the new file", () -> records.get() == 23);

            Files.writeString(log, lines(1005, 2), StandardOpenOption.TRUNCATE_EXISTING);
            run.awaitThat("the truncated file read again", () -> records.get() == 25);

            append(log, lines(1006, 1));
            run.awaitThat("a record appended after truncation", () -> records.get() == 26);

            assertThat(run.stop()).isZero();
            assertThat(run.out()).contains("26 requests, 0 bad, 0 late");
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void followingWaitsForAPartialLineToBeFinished() throws Exception {
        Path log = dir.resolve("access.log");
        String line = lines(1000, 1);
        Files.writeString(log, CsvLines.HEADER + lines(1000, 3) + line.substring(0, 20));
        try (LiveRun run = new LiveRun(live().file(log).follow(true).build(), InputStream.nullInputStream())) {
            append(log, line.substring(20));
            run.awaitThat("the completed line", () -> records.get() == 4);
            assertThat(run.stop()).isZero();
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void stopEndsAFollowWithTheSummary() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(log, CsvLines.withHeader().at(1000, 4).toString());
        try (LiveRun run = new LiveRun(live().file(log).follow(true).build(), InputStream.nullInputStream())) {
            run.awaitThat("4 records", () -> records.get() == 4);

            assertThat(run.stop()).isZero();

            assertThat(run.out()).contains("1970-01-01 00:16:40 UTC  [1000]  (partial)", "4 requests");
        }
    }

    private static String lines(long second, int count) {
        return CsvLines.withHeader().at(second, count).toString().substring(CsvLines.HEADER.length());
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }
}
