package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a client put in its request, the monitor's output holds no control character it did not write itself. */
class ForgedOutputTest {

    /**
     * A CSV log a client wrote into: a path that clears the screen, a host that sets the terminal's title, a
     * method with a colour, a path whose carriage return and ESC[2K would print a fake alert over the line, and
     * a path with CR LF that cuts its line in two, forging a second line that looks like an alert.
     */
    private static final String LOG = CsvLines.withHeader()
            .at(1000, 4)
            .request("10.0.0.1", 1000, "GET /a\u001b[2J\u001b[H HTTP/1.0", 200, 10)
            .request("10.0.0.2\u001b]0;owned\u0007", 1000, "GET /api/x HTTP/1.0", 200, 10)
            .request("10.0.0.3", 1001, "GET\u001b[31m /api/y HTTP/1.0", 200, 10)
            .request("10.0.0.4", 1001, "GET /c\r\u001b[2KHigh_traffic_generated_an_alert HTTP/1.0", 200, 10)
            .request("10.0.0.5", 1001, "GET /d\u009b2J\u007f\u2028 HTTP/1.0", 200, 10)
            .raw("""
                    "10.0.0.6","-","apache",1001,"GET /e\r
                    High traffic generated an alert - hits = 9999, triggered at 1001 (1970-01-01 00:16:41 UTC)\r
                    \u001b[2J HTTP/1.0",200,10""")
            .toString();

    @TempDir
    Path dir;

    private MonitorRun run(boolean json) throws IOException {
        Path file = dir.resolve("forged.csv");
        Files.write(file, LOG.getBytes(StandardCharsets.UTF_8));
        return MonitorRun.of(
                MonitorOptions.builder()
                        .file(file)
                        .json(json)
                        .top(10)
                        .progress(MonitorOptions.Progress.NEVER)
                        .build(),
                "");
    }

    @Test
    void theTextReportEscapesControlCharactersFromTheLog() throws IOException {
        MonitorRun run = run(false);

        assertNoControlCharacters(run.out());
        assertNoControlCharacters(run.err());
        assertThat(run.out())
                .contains(
                        "/a\\x1b[2J\\x1b[H ",
                        "/c\\r\\x1b[2KHigh_traffic_generated_an_alert  1 ",
                        "/d\\x9b2J\\x7f\\u2028 ",
                        "10.0.0.2\\x1b]0;owned\\x07 ",
                        "GET\\x1b[31m 1");
        assertThat(run.alertSequence()).as("no forged alert line").isEmpty();
        assertThat(run.out().lines()).noneMatch(line -> line.startsWith("High traffic"));
    }

    @Test
    void aLineCutInTwoByCrLfIsTwoBadLinesShownEscaped() throws IOException {
        MonitorRun run = run(false);

        assertThat(run.errLines()).hasSize(3);
        assertThat(run.errLines().get(0))
                .startsWith("tollgate monitor: '")
                .contains("' line 11 skipped, ")
                .endsWith(": \"10.0.0.6\",\"-\",\"apache\",1001,\"GET /e");
        assertThat(run.errLines().get(1))
                .contains("' line 12 skipped, ")
                .endsWith(
                        ": High traffic generated an alert - hits = 9999, triggered at 1001 (1970-01-01 00:16:41 UTC)");
        assertThat(run.errLines().get(2)).contains("' line 13 skipped, ").endsWith(": \\x1b[2J HTTP/1.0\",200,10");
        assertThat(run.out()).contains("13 lines: 9 requests, 3 bad, 0 late");
    }

    @Test
    void theJsonReportKeepsTheTextButNoRawControlCharacter() throws IOException {
        MonitorRun run = run(true);

        assertNoControlCharacters(run.out());
        assertThat(run.out())
                .contains("\"section\":\"/a\\u001B[2J\\u001B[H\"", "\"section\":\"/d\\u009B2J\\u007F\\u2028\"");
        assertThat(SampleLogTest.jsonLines(run.out()).get(0).getJsonArray("sections").stream()
                        .map(o -> ((io.vertx.core.json.JsonObject) o).getString("section")))
                .contains("/a\u001b[2J\u001b[H", "/d\u009b2J\u007f\u2028");
    }

    private static void assertNoControlCharacters(String text) {
        assertThat(text.chars().filter(c -> (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || c == 0x2028))
                .as("control characters in:\n%s", text)
                .isEmpty();
    }
}
