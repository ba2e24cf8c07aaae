package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --html FILE}: what the page holds, how it is written, and what a hostile log cannot do to it. */
class HtmlReportTest {

    private static final Pattern ALERT_ROW = Pattern.compile(
            "<tr class=\"(high|recovered)\"><td>[^<]*</td><td>[^<]*</td><td>(\\d+)</td><td>(\\d+)</td>");

    @TempDir
    Path dir;

    private static MonitorOptions.Builder sample() {
        return MonitorOptions.builder().file(SampleLog.path()).threshold(10).progress(MonitorOptions.Progress.NEVER);
    }

    @Test
    void theSamplesPageHasAPointPerSecondOfLogTimeAndTheAlertsTheJsonReportGives() throws Exception {
        Path page = dir.resolve("report.html");
        MonitorRun run = MonitorRun.of(sample().json(true).html(page).build(), "");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonObject> json = SampleLogTest.jsonLines(run.out());
        JsonObject summary = json.stream()
                .filter(j -> j.getString("type").equals("summary"))
                .findFirst()
                .orElseThrow();
        long seconds = summary.getLong("last") - summary.getLong("first") + 1;
        String html = Files.readString(page);

        assertThat(html).contains("data-points=\"" + seconds + "\"");
        assertThat(points(html, "per-second")).isEqualTo(seconds);
        assertThat(points(html, "window-average")).isEqualTo(seconds);
        StringBuilder expected = new StringBuilder();
        json.stream()
                .filter(j -> j.getString("type").startsWith("traffic-"))
                .forEach(j -> expected.append(j.getString("type").equals("traffic-high") ? "high " : "recovered ")
                        .append(j.getLong("time"))
                        .append(' ')
                        .append(j.getLong("hits"))
                        .append('\n'));
        StringBuilder listed = new StringBuilder();
        Matcher rows = ALERT_ROW.matcher(html);
        while (rows.find()) {
            listed.append(rows.group(1))
                    .append(' ')
                    .append(rows.group(2))
                    .append(' ')
                    .append(rows.group(3))
                    .append('\n');
        }
        assertThat(listed.toString()).isEqualTo(expected.toString()).isNotEmpty();
        assertThat(Pattern.compile("class=\"alert-period\"").matcher(html).results())
                .hasSize(2);
        assertThat(html).contains("<tr><th>requests</th><td>" + summary.getLong("records") + "</td></tr>");
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "src=");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file is left").containsExactly(page);
        }
    }

    @Test
    void escapesWhatTheLogSaysAndBoundsItsLength() throws Exception {
        Path log = dir.resolve("hostile.csv");
        String huge = "a".repeat(50_000);
        Files.writeString(
                log,
                CsvLines.withHeader()
                        .request("10.0.0.1", 1000, "GET /<script>alert(1)</script>/x HTTP/1.0", 200, 10)
                        .request("<img src=x onerror=alert(1)>'", 1000, "GET /a HTTP/1.0", 200, 10)
                        .request("10.0.0.2", 1001, "GET /" + huge + " HTTP/1.0", 200, 10)
                        .request("10.0.0.2", 1001, "<b>BREW</b> /a HTTP/1.0", 200, 10)
                        .raw("\"10.0.0.3\",\"-\",\"apache\",1001,\"GET /x HTTP/1.0\",<i>oops</i>,10")
                        .toString(),
                StandardCharsets.UTF_8);
        Path page = dir.resolve("report.html");
        MonitorRun run = MonitorRun.of(
                MonitorOptions.builder()
                        .file(log)
                        .format("csv")
                        .html(page)
                        .progress(MonitorOptions.Progress.NEVER)
                        .build(),
                "");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String html = Files.readString(page);
        assertThat(html.toLowerCase(java.util.Locale.ROOT))
                .doesNotContain("<script", "<img", "<b>", "<i>", "onerror=alert(1)>");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;").contains("&lt;img src=x onerror=alert(1)&gt;&#39;");
        assertThat(html).doesNotContain("a".repeat(HtmlReport.MAX_TEXT));
        assertThat(html).containsPattern("(?s)<table id=\"bad-lines\">.*<td class=\"n\">1</td>");
        assertThat(html.length()).isLessThan(40_000);
    }

    @Test
    void followingRewritesThePageAfterEveryChunk() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(log, CsvLines.withHeader().at(1000, 10).at(1015, 3).toString());
        Path page = dir.resolve("live.html");
        MonitorOptions options = MonitorOptions.builder()
                .file(log)
                .follow(true)
                .html(page)
                .lateness(Duration.ZERO)
                .timeout(Duration.ofHours(1))
                .progress(MonitorOptions.Progress.NEVER)
                .build();
        try (LiveRun run = new LiveRun(options, InputStream.nullInputStream())) {
            run.awaitThat("the page of the first chunk", () -> Files.exists(page));
            assertThat(Files.readString(page)).contains("<tr><th>requests placed</th><td>10</td></tr>");

            Files.writeString(
                    log,
                    CsvLines.withHeader().at(1030, 1).toString().substring(CsvLines.HEADER.length()),
                    java.nio.file.StandardOpenOption.APPEND);
            run.awaitThat("the page of the second chunk", () -> read(page).contains("placed</th><td>13</td>"));

            assertThat(run.stop()).isZero();
            assertThat(read(page)).contains("<tr><th>requests</th><td>14</td></tr>");
        }
    }

    @Test
    void aDirectoryThatDoesNotExistStopsTheRunBeforeItStarts() {
        MonitorRun run =
                MonitorRun.of(sample().html(dir.resolve("no/such/report.html")).build(), "");

        assertThat(run.exitCode()).isEqualTo(LogMonitor.EXIT_CANNOT_START);
        assertThat(run.err())
                .isEqualTo("tollgate monitor: cannot write the --html file '" + dir.resolve("no/such/report.html")
                        + "': no such directory\n");
        assertThat(run.out()).isEmpty();
    }

    private static String read(Path page) {
        try {
            return Files.exists(page) ? Files.readString(page) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The points of the polyline with {@code id}. */
    private static long points(String html, String id) {
        Matcher m = Pattern.compile("<polyline id=\"" + id + "\" [^>]*points=\"([^\"]*)\"")
                .matcher(html);
        assertThat(m.find()).as("polyline " + id).isTrue();
        return m.group(1).trim().split(" ").length;
    }
}
