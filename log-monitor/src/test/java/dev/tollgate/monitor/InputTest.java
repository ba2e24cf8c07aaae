package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where lines come from, and what happens to the ones that are wrong. */
class InputTest {

    @TempDir
    Path dir;

    @Test
    void readsStdinWhenNoFileIsGiven() {
        String log = CsvLines.withHeader().at(1000, 3).at(1001, 2).toString();

        MonitorRun run = MonitorRun.of(MonitorOptions.builder().build(), log);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("5 requests, 0 bad, 0 late", "format csv");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void readsCommonAndCombinedLogsDetectingTheirFormat() {
        String common = """
                10.0.0.1 - - [07/Feb/2019:21:11:00 +0000] "GET /api/user HTTP/1.0" 200 1234
                10.0.0.2 - bob [07/Feb/2019:21:11:01 +0000] "POST /report HTTP/1.0" 500 -
                """;
        String combined =
                "10.0.0.1 - - [07/Feb/2019:21:11:00 +0000] \"GET /api/user HTTP/1.1\" 200 1234 \"-\" \"curl/8\"\n";

        MonitorRun commonRun = MonitorRun.of(MonitorOptions.builder().build(), common);
        MonitorRun combinedRun = MonitorRun.of(MonitorOptions.builder().build(), combined);

        assertThat(commonRun.out())
                .contains(
                        "format common",
                        "2 requests, 0 bad",
                        "sections  /api     1   50.0%",
                        "/report  1   50.0%",
                        "status    2xx 1   5xx 1");
        assertThat(combinedRun.out()).contains("format combined", "1 request, 0 bad");
    }

    @Test
    void aQuotedCommaInTheRequestIsPartOfTheField() {
        String log = CsvLines.withHeader()
                .request("10.0.0.1", 1000, "GET /search?q=a,b HTTP/1.1", 200, 10)
                .request("10.0.0.2", 1000, "GET /api/x?q=\"a,b\" HTTP/1.1", 200, 10)
                .toString();
        assertThat(log).contains("\"GET /search?q=a,b HTTP/1.1\"", "\"GET /api/x?q=\"\"a,b\"\" HTTP/1.1\"");
        List<LogRecord> records = new ArrayList<>();

        MonitorRun run = MonitorRun.of(
                MonitorOptions.builder()
                        .recordListener((record, late) -> records.add(record))
                        .build(),
                log);

        assertThat(run.err()).isEmpty();
        assertThat(records).extracting(LogRecord::path).containsExactly("/search?q=a,b", "/api/x?q=\"a,b\"");
        assertThat(run.out()).contains("sections  /api     1   50.0%", "/search  1   50.0%");
    }

    @Test
    void badLinesAreCountedAndTheFirstFiveShownWithTheirLineNumbers() {
        CsvLines log = CsvLines.withHeader().at(1000, 1);
        for (int i = 0; i < 7; i++) {
            log.raw("garbage " + i);
        }
        log.raw("\"10.0.0.1\",\"-\",\"apache\",1001,\"GET /api/a HTTP/1.0\",200,lots");
        log.at(1001, 1);

        MonitorRun run = MonitorRun.of(MonitorOptions.builder().build(), log.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.errLines())
                .containsExactly(
                        "tollgate monitor: stdin line 3 skipped, expected 7 fields, found 1: garbage 0",
                        "tollgate monitor: stdin line 4 skipped, expected 7 fields, found 1: garbage 1",
                        "tollgate monitor: stdin line 5 skipped, expected 7 fields, found 1: garbage 2",
                        "tollgate monitor: stdin line 6 skipped, expected 7 fields, found 1: garbage 3",
                        "tollgate monitor: stdin line 7 skipped, expected 7 fields, found 1: garbage 4",
                        "tollgate monitor: more bad lines; they are counted in the summary, not shown");
        assertThat(run.out()).contains("11 lines: 2 requests, 8 bad, 0 late");
    }

    @Test
    void badLinesAmongTheFirstOnesDoNotStopDetection() {
        String log = "oops\n" + CsvLines.withHeader().at(1000, 2);

        MonitorRun run = MonitorRun.of(MonitorOptions.builder().build(), log);

        assertThat(run.exitCode()).isZero();
        assertThat(run.errLines())
                .containsExactly("tollgate monitor: stdin line 1 skipped, expected 7 fields, found 1: oops");
        assertThat(run.out()).contains("2 requests, 1 bad");
    }

    @Test
    void blankLinesCrlfAndAByteOrderMarkAreFineAndTheLastLineNeedsNoNewline() {
        String log = "\uFEFF" + CsvLines.withHeader().at(1000, 2).toString().replace("\n", "\r\n") + "\n   \n"
                + "\"10.0.0.1\",\"-\",\"apache\",1000,\"GET /x HTTP/1.0\",200,1";

        MonitorRun run = MonitorRun.of(MonitorOptions.builder().build(), log);

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("6 lines: 3 requests, 0 bad");
    }

    @Test
    void aFileThatCannotBeOpenedGivesOneMessageAndExitCode2() {
        Path missing = dir.resolve("missing.log");

        MonitorRun run = MonitorRun.of(MonitorOptions.builder().file(missing).build(), "");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("tollgate monitor: cannot read '" + missing + "': no such file");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aDirectoryIsRefusedTheSameWay() {
        MonitorRun run = MonitorRun.of(MonitorOptions.builder().file(dir).build(), "");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("tollgate monitor: cannot read '" + dir + "': it is a directory");
    }

    @Test
    void outputGoesToTheOutputFileToo() throws IOException {
        Path report = dir.resolve("report.txt");

        MonitorRun run = MonitorRun.of(
                MonitorOptions.builder()
                        .file(SampleLog.path())
                        .output(report)
                        .progress(MonitorOptions.Progress.NEVER)
                        .build(),
                "");

        assertThat(run.exitCode()).isZero();
        assertThat(Files.readString(report, StandardCharsets.UTF_8))
                .isEqualTo(run.out())
                .contains("High traffic");
    }

    @Test
    void anOutputFileThatCannotBeWrittenGivesExitCode2() {
        Path report = dir.resolve("no-such-dir").resolve("report.txt");

        MonitorRun run = MonitorRun.of(MonitorOptions.builder().output(report).build(), "");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("tollgate monitor: cannot write the --output file '" + report + "': no such file");
    }

    @Test
    void drawsAProgressBarOnStderrWhenAsked() {
        MonitorRun run = MonitorRun.of(
                MonitorOptions.builder()
                        .file(SampleLog.path())
                        .progress(MonitorOptions.Progress.ALWAYS)
                        .build(),
                "");

        assertThat(run.err())
                .contains("[##############################] 100%", "4,831 lines")
                .endsWith("\n");
        assertThat(run.out()).doesNotContain("%]");
    }

    @Test
    void drawsNoProgressBarWhenStderrIsNoTerminal() {
        MonitorRun run =
                MonitorRun.of(MonitorOptions.builder().file(SampleLog.path()).build(), "");

        // the tests run without a console, so AUTO means no bar
        assertThat(run.err()).isEmpty();
    }

    @Test
    void listenersReceiveChunksAlertsRecordsAndTheSummary() {
        List<ChunkReport> chunks = new ArrayList<>();
        List<TrafficAlert> alerts = new ArrayList<>();
        List<MonitorSummary> summaries = new ArrayList<>();
        List<LogRecord> records = new ArrayList<>();
        MonitorListener listener = new MonitorListener() {
            @Override
            public void onChunk(ChunkReport chunk) {
                chunks.add(chunk);
            }

            @Override
            public void onAlert(TrafficAlert alert) {
                alerts.add(alert);
            }

            @Override
            public void onFinish(MonitorSummary summary) {
                summaries.add(summary);
            }
        };

        MonitorRun.of(
                MonitorOptions.builder()
                        .file(SampleLog.path())
                        .listener(listener)
                        .recordListener((record, late) -> records.add(record))
                        .build(),
                "");

        assertThat(chunks.stream().mapToLong(ChunkReport::requests).sum()).isEqualTo(4830);
        assertThat(alerts)
                .extracting(TrafficAlert::kind)
                .containsExactly(
                        TrafficAlert.Kind.HIGH,
                        TrafficAlert.Kind.RECOVERED,
                        TrafficAlert.Kind.HIGH,
                        TrafficAlert.Kind.RECOVERED);
        assertThat(alerts.get(0).toJson().getString("type")).isEqualTo("traffic-high");
        assertThat(summaries)
                .singleElement()
                .satisfies(s -> assertThat(s.records()).isEqualTo(4830));
        assertThat(records).hasSize(4830);
        LogRecord first = records.get(0);
        assertThat(first.lineNumber()).isEqualTo(2);
        assertThat(first.host()).isEqualTo("10.0.0.1");
        assertThat(first.epochSecond()).isEqualTo(1549573860L);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.path()).isEqualTo("/report");
        assertThat(first.section()).isEqualTo("/report");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.bytes()).isEqualTo(1234);
        assertThat(first.user()).contains("apache");
        assertThat(first.userAgent()).isEmpty();
    }

    @Test
    void aFailingListenerIsReportedAndLeftOutWithoutStoppingTheRun() {
        MonitorListener broken = new MonitorListener() {
            @Override
            public void onChunk(ChunkReport chunk) {
                throw new IllegalStateException("channel down");
            }
        };

        MonitorRun run = MonitorRun.of(
                MonitorOptions.builder().file(SampleLog.path()).listener(broken).build(), "");

        assertThat(run.exitCode()).isZero();
        assertThat(run.errLines()).singleElement().asString().contains("failed and is left out", "channel down");
        assertThat(run.alertSeconds()).hasSize(2);
    }
}
