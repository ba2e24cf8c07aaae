package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A line whose time jumps far ahead: held until the lines after it confirm or refute the jump. */
class TimeJumpTest {

    private static final String FAR_FUTURE =
            "\"10.0.0.9\",\"-\",\"apache\",99999999999,\"GET /api/user HTTP/1.0\",200,1234";
    private static final List<Long> SAMPLE_ALERTS = List.of(1549573956L, -1549574043L, 1549574163L, -1549574302L);
    private static final long SIX_HOURS = Duration.ofHours(6).toSeconds();

    @TempDir
    Path dir;

    private static MonitorOptions.Builder options() {
        return MonitorOptions.builder().format("csv").progress(MonitorOptions.Progress.NEVER);
    }

    /** The project's sample with {@code line} inserted so that it becomes line {@code number} (the header is line 1). */
    private Path sampleWith(String line, int number) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(SampleLog.path()));
        lines.add(number - 1, line);
        Path file = dir.resolve("sample-" + number + ".csv");
        Files.write(file, lines);
        return file;
    }

    private static List<JsonObject> stats(MonitorRun run) {
        return SampleLogTest.jsonLines(run.out()).stream()
                .filter(j -> j.getString("type").equals("stats"))
                .toList();
    }

    private static JsonObject summary(MonitorRun run) {
        List<JsonObject> objects = SampleLogTest.jsonLines(run.out());
        return objects.get(objects.size() - 1);
    }

    @Test
    void oneFarFutureLineInTheSampleChangesNoAlertAndIsAnOutOfRangeBadLine() throws IOException {
        MonitorRun plain = MonitorRun.of(options().file(SampleLog.path()).build(), "");
        MonitorRun jumped =
                MonitorRun.of(options().file(sampleWith(FAR_FUTURE, 2001)).build(), "");

        assertThat(plain.alertSequence()).isEqualTo(SAMPLE_ALERTS);
        assertThat(jumped.alertSequence()).isEqualTo(SAMPLE_ALERTS);
        assertThat(jumped.out())
                .contains(
                        "High traffic generated an alert - hits = 1215, triggered at 1549573956 (2019-02-07 21:12:36 UTC)\n",
                        "High traffic alert recovered at 1549574043 (2019-02-07 21:14:03 UTC)\n",
                        "  summary   4,832 lines: 4,830 requests, 1 bad, 0 late\n",
                        "log time 1549573859 .. 1549574338 ");
        assertThat(jumped.errLines()).hasSize(1);
        assertThat(jumped.errLines().get(0))
                .startsWith(
                        "tollgate monitor: '" + dir.resolve("sample-2001.csv") + "' line 2001 skipped, out of range: "
                                + "its time 99999999999 (5138-11-16 09:46:39 UTC) is more than --max-jump 1h ahead of the log's "
                                + "time 1549574")
                .endsWith(", and 3 lines near its time did not confirm the jump: " + FAR_FUTURE);
    }

    @Test
    void withJsonOutputTheChunksAreTheSameAsWithoutTheFarFutureLine() throws IOException {
        MonitorRun plain =
                MonitorRun.of(options().file(SampleLog.path()).json(true).build(), "");
        MonitorRun jumped = MonitorRun.of(
                options().file(sampleWith(FAR_FUTURE, 2001)).json(true).build(), "");

        assertThat(stats(jumped)).isEqualTo(stats(plain));
        assertThat(SampleLogTest.jsonLines(jumped.out()))
                .filteredOn(j -> j.getString("type").startsWith("traffic-"))
                .extracting(j -> j.getString("type") + "@" + j.getLong("time"))
                .containsExactly(
                        "traffic-high@1549573956",
                        "traffic-recovered@1549574043",
                        "traffic-high@1549574163",
                        "traffic-recovered@1549574302");
        JsonObject summary = summary(jumped);
        assertThat(summary.getLong("lines")).isEqualTo(4832);
        assertThat(summary.getLong("records")).isEqualTo(4830);
        assertThat(summary.getLong("bad_lines")).isEqualTo(1);
        assertThat(summary.getLong("late_lines")).isZero();
        assertThat(summary.getLong("last")).isEqualTo(1549574338L);
    }

    @Test
    void aFarFutureFirstLineOrLastLineChangesNoAlertEither() throws IOException {
        int last = 4832;
        for (int number : new int[] {2, 3, last}) {
            MonitorRun run = MonitorRun.of(
                    options().file(sampleWith(FAR_FUTURE, number)).json(true).build(), "");

            assertThat(SampleLogTest.jsonLines(run.out()))
                    .as("far-future line %d", number)
                    .filteredOn(j -> j.getString("type").equals("traffic-high"))
                    .extracting(j -> j.getLong("time"))
                    .containsExactly(1549573956L, 1549574163L);
            assertThat(summary(run).getLong("bad_lines"))
                    .as("far-future line %d", number)
                    .isEqualTo(1);
            assertThat(summary(run).getLong("records")).isEqualTo(4830);
            assertThat(summary(run).getLong("first")).isEqualTo(1549573859L);
            assertThat(run.errLines())
                    .singleElement()
                    .asString()
                    .contains(" line " + number + " skipped, out of range: ");
        }
    }

    @Test
    void theSampleOnStdinWithAFarFutureLineGivesTheSameAlerts() throws IOException {
        String log = Files.readString(sampleWith(FAR_FUTURE, 2001));

        MonitorRun run = MonitorRun.of(options().build(), log);

        assertThat(run.alertSequence()).isEqualTo(SAMPLE_ALERTS);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("tollgate monitor: stdin line 2001 skipped, out of range:");
    }

    private static CsvLines sixHourGap() {
        CsvLines log = CsvLines.withHeader();
        for (long s = 1000; s < 1300; s++) {
            log.at(s, 20);
        }
        for (long s = 1000 + SIX_HOURS; s < 1300 + SIX_HOURS; s++) {
            log.at(s, 20);
        }
        return log;
    }

    @Test
    void aSixHourGapMovesTheClockAndStatsAndAlertsGoOnAfterIt() {
        MonitorRun run =
                MonitorRun.of(options().json(true).build(), sixHourGap().toString());

        List<String> chunks = stats(run).stream()
                .map(j -> j.getLong("from") + ".." + j.getLong("to") + "=" + j.getLong("requests"))
                .toList();
        // the recovery at 1359 is reported between the empty chunks before and after it
        assertThat(chunks).containsSequence("1290..1299=200", "1300..1349=0", "1350..22599=0", "22600..22609=200");
        assertThat(chunks).hasSize(30 + 2 + 30).endsWith("22890..22899=200");
        assertThat(SampleLogTest.jsonLines(run.out()))
                .filteredOn(j -> j.getString("type").startsWith("traffic-"))
                .extracting(j -> j.getString("type") + "@" + j.getLong("time"))
                .containsExactly("traffic-high@1060", "traffic-recovered@1359", "traffic-high@22660");
        JsonObject summary = summary(run);
        assertThat(summary.getLong("records")).isEqualTo(12_000);
        assertThat(summary.getLong("bad_lines")).isZero();
        assertThat(summary.getLong("late_lines")).isZero();
        assertThat(summary.getLong("last")).isEqualTo(22899L);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aSixHourGapInTextOutput() {
        MonitorRun run = MonitorRun.of(options().build(), sixHourGap().toString());

        assertThat(run.alertSequence()).containsExactly(1060L, -1359L, 22660L);
        assertThat(run.out()).contains("""
                1970-01-01 00:21:40 .. 00:22:29 UTC  [1300 .. 1349]  no requests

                High traffic alert recovered at 1359 (1970-01-01 00:22:39 UTC)

                1970-01-01 00:22:30 .. 06:16:39 UTC  [1350 .. 22599]  no requests

                1970-01-01 06:16:40 .. 06:16:49 UTC  [22600 .. 22609]
                """, "12,001 lines: 12,000 requests, 0 bad, 0 late");
    }

    @Test
    void aGapWithFewerThanThreeLinesAfterItBeforeTheEndIsOutOfRange() {
        String log = CsvLines.withHeader().at(1000, 10).at(1000 + SIX_HOURS, 2).toString();

        MonitorRun run = MonitorRun.of(options().build(), log);

        assertThat(run.out()).contains("13 lines: 10 requests, 2 bad, 0 late", "log time 1000 .. 1000 ");
        assertThat(run.errLines())
                .extracting(line -> line.substring(0, line.indexOf(" out of range")))
                .containsExactly(
                        "tollgate monitor: stdin line 12 skipped,", "tollgate monitor: stdin line 13 skipped,");
    }

    @Test
    void aLineBackNearTheLogsTimeRefutesTheJumpAndIsReadAsUsual() {
        String log = CsvLines.withHeader()
                .at(1000, 4)
                .at(1000 + SIX_HOURS, 2)
                .at(1001, 1)
                .at(1002, 1)
                .toString();
        List<String> records = new ArrayList<>();

        MonitorRun run = MonitorRun.of(
                options()
                        .recordListener((record, late) ->
                                records.add(record.lineNumber() + "@" + record.epochSecond() + (late ? " late" : "")))
                        .build(),
                log);

        assertThat(records).containsExactly("2@1000", "3@1000", "4@1000", "5@1000", "8@1001", "9@1002");
        assertThat(run.out()).contains("9 lines: 6 requests, 2 bad, 0 late");
        assertThat(run.errLines())
                .hasSize(2)
                .allSatisfy(line -> assertThat(line)
                        .contains(
                                "out of range: its time 22600 (1970-01-01 06:16:40 UTC) is more than --max-jump 1h ahead of "
                                        + "the log's time 1000, and 3 lines near its time did not confirm the jump"));
    }

    @Test
    void confirmedLinesReachRecordListenersInInputOrderWithTheirLateness() {
        String log = CsvLines.withHeader()
                .at(1000, 1)
                .at(1000 + SIX_HOURS, 1)
                .at(999 + SIX_HOURS, 1)
                .at(990 + SIX_HOURS, 1)
                .at(1001 + SIX_HOURS, 1)
                .at(1002 + SIX_HOURS, 1)
                .toString();
        List<String> records = new ArrayList<>();

        MonitorRun run = MonitorRun.of(
                options()
                        .recordListener((record, late) ->
                                records.add(record.lineNumber() + "@" + record.epochSecond() + (late ? " late" : "")))
                        .build(),
                log);

        // 990 + 6 h is within --max-jump of the held line, so it confirms the jump; on the new clock it is late
        assertThat(records).containsExactly("2@1000", "3@22600", "4@22599", "5@22590 late", "6@22601", "7@22602");
        assertThat(run.out()).contains("7 lines: 6 requests, 0 bad, 1 late");
    }

    @Test
    void aFarFutureFirstLineIsOutOfRangeAndTheLinesAfterItStartTheClock() {
        String log = CsvLines.withHeader().raw(FAR_FUTURE).at(1000, 5).toString();

        MonitorRun run = MonitorRun.of(options().build(), log);

        assertThat(run.out()).contains("7 lines: 5 requests, 1 bad, 0 late", "log time 1000 .. 1000 ");
        assertThat(run.errLines())
                .containsExactly("tollgate monitor: stdin line 2 skipped, out of range: its time "
                        + "99999999999 (5138-11-16 09:46:39 UTC) is more than --max-jump 1h ahead of the log's time 1000, and 3 "
                        + "lines near its time did not confirm the jump: " + FAR_FUTURE);
    }

    @Test
    void aFarFutureSecondLineLosesNothingButItself() {
        String log =
                CsvLines.withHeader().at(1000, 1).raw(FAR_FUTURE).at(1000, 4).toString();

        MonitorRun run = MonitorRun.of(options().build(), log);

        assertThat(run.out()).contains("7 lines: 5 requests, 1 bad, 0 late");
        assertThat(run.errLines()).singleElement().asString().contains(" line 3 skipped, out of range: ");
    }

    @Test
    void aGapRightAfterTheFirstLineLosesNothing() {
        String log = CsvLines.withHeader().at(1000, 1).at(1000 + SIX_HOURS, 4).toString();

        MonitorRun run = MonitorRun.of(options().build(), log);

        assertThat(run.out()).contains("6 lines: 5 requests, 0 bad, 0 late", "log time 1000 .. 22600 ");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aShortLogIsReadWholeThoughNothingConfirmedItsStart() {
        MonitorRun run = MonitorRun.of(
                options().build(), CsvLines.withHeader().at(1000, 2).toString());

        assertThat(run.out())
                .contains("3 lines: 2 requests, 0 bad, 0 late", "1970-01-01 00:16:40 UTC  [1000]  (partial)");
    }

    @Test
    void linesWithinMaxJumpAreReadAtOnce() {
        String log = CsvLines.withHeader().at(1000, 1).at(1000 + 7200, 1).toString();

        MonitorRun held = MonitorRun.of(options().build(), log);
        MonitorRun read = MonitorRun.of(options().maxJump(Duration.ofHours(3)).build(), log);

        assertThat(held.out()).contains("1 request, 1 bad");
        assertThat(read.out()).contains("2 requests, 0 bad", "log time 1000 .. 8200 ");
        assertThat(read.err()).isEmpty();
    }

    @Test
    void fiveFarApartTimesDropTheOldestAsOutOfRange() {
        CsvLines log = CsvLines.withHeader().at(1000, 4);
        for (int i = 1; i <= 5; i++) {
            log.at(1000 + i * SIX_HOURS, 1);
        }
        log.at(1000 + 5 * SIX_HOURS, 3);

        MonitorRun run = MonitorRun.of(options().build(), log.toString());

        // the fifth candidate time pushes out the first; the last one is confirmed by its three lines, and the
        // three in between are behind the new clock: late
        assertThat(run.out()).contains("13 lines: 11 requests, 1 bad, 3 late", "log time 1000 .. 109000 ");
    }

    @Test
    void followingAFileTheFarFutureLineAndTheGapAreHandledAsInAFile() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(
                log,
                CsvLines.withHeader().at(1000, 4).raw(FAR_FUTURE).at(1001, 1).toString());
        AtomicInteger records = new AtomicInteger();
        MonitorOptions followed = options()
                .file(log)
                .follow(true)
                .pollInterval(Duration.ofMillis(10))
                .clock(new ManualWallClock())
                .recordListener((record, late) -> records.incrementAndGet())
                .build();
        try (LiveRun run = new LiveRun(followed, InputStream.nullInputStream())) {
            run.awaitThat("the lines around the far-future one", () -> records.get() == 5);
            run.awaitThat("the far-future line reported", () -> run.err().contains(" line 6 skipped, out of range: "));

            Files.writeString(
                    log,
                    CsvLines.withHeader().at(1000 + SIX_HOURS, 4).toString().substring(CsvLines.HEADER.length()),
                    java.nio.file.StandardOpenOption.APPEND);
            run.awaitThat("the lines after the gap", () -> records.get() == 9);

            assertThat(run.stop()).isZero();
            assertThat(run.out())
                    .contains(
                            "[1010 .. 22599]  no requests",
                            "11 lines: 9 requests, 1 bad, 0 late",
                            "log time 1000 .. 22600 ");
        }
    }

    @Test
    void onQuietStdinTheFirstLinesAreReadAfterTheTimeoutWithoutConfirmation() throws Exception {
        PipedInputStream stdin = new PipedInputStream(1 << 16);
        PipedOutputStream feed = new PipedOutputStream(stdin);
        ManualWallClock clock = new ManualWallClock();
        AtomicInteger records = new AtomicInteger();
        MonitorOptions piped = options()
                .clock(clock)
                .pollInterval(Duration.ofMillis(10))
                .timeout(Duration.ofSeconds(5))
                .recordListener((record, late) -> records.incrementAndGet())
                .build();
        try (LiveRun run = new LiveRun(piped, stdin)) {
            feed.write(CsvLines.withHeader().at(1000, 1).toString().getBytes(StandardCharsets.UTF_8));
            feed.flush();

            run.awaitThat("the held first line read once the input is quiet", () -> {
                clock.advance(Duration.ofSeconds(1));
                return records.get() == 1;
            });

            feed.write(FAR_FUTURE.concat("\n").getBytes(StandardCharsets.UTF_8));
            feed.flush();
            // a jump after the start waits for lines however long the input is quiet
            clock.advance(Duration.ofMinutes(10));
            feed.write(CsvLines.withHeader()
                    .at(1100, 1)
                    .toString()
                    .substring(CsvLines.HEADER.length())
                    .getBytes(StandardCharsets.UTF_8));
            feed.close();

            assertThat(run.awaitExit()).isZero();
            assertThat(records).hasValue(2);
            assertThat(run.err().lines()).singleElement().asString().contains(" line 3 skipped, out of range: ");
        }
    }
}
