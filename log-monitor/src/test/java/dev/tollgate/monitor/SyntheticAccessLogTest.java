package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticAccessLogTest {

    private static final int CYCLE = 4830;

    @Test
    void writesLinesShapedLikeTheSampleThatAlertTwicePerCycle() throws IOException {
        String log = generate(3 * CYCLE, 42);

        MonitorRun run = MonitorRun.of(MonitorOptions.builder().json(true).build(), log);

        List<JsonObject> objects = SampleLogTest.jsonLines(run.out());
        JsonObject summary = objects.get(objects.size() - 1);
        assertThat(summary.getLong("records")).isEqualTo(3 * CYCLE);
        assertThat(summary.getLong("bad_lines")).isZero();
        assertThat(summary.getLong("late_lines")).isZero();
        assertThat(summary.getLong("alerts")).isEqualTo(6);
        assertThat(summary.getLong("recoveries")).isEqualTo(6);
        assertThat(summary.getLong("last") - summary.getLong("first")).isBetween(3 * 480L - 2, 3 * 480L + 2);
    }

    @Test
    void theSameSeedGivesTheSameLog() throws IOException {
        assertThat(generate(1000, 7)).isEqualTo(generate(1000, 7)).isNotEqualTo(generate(1000, 8));
        assertThat(generate(1000, 7).lines()).hasSize(1001).first().isEqualTo(CsvLines.HEADER.strip());
    }

    @Test
    void theCombinedLogCarriesTheSameTrafficAsTheCsvLog(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("access.csv");
        Path combined = dir.resolve("access.log");
        SyntheticAccessLog.writeCsv(csv, 2 * CYCLE, 42);
        SyntheticAccessLog.writeCombined(combined, 2 * CYCLE, 42);

        MonitorRun fromCsv = MonitorRun.of(MonitorOptions.builder().file(csv).build(), "");
        MonitorRun fromCombined =
                MonitorRun.of(MonitorOptions.builder().file(combined).build(), "");

        assertThat(Files.readAllLines(combined).get(0))
                .isEqualTo("10.0.0.1 - apache [07/Feb/2019:21:11:00 +0000] \"GET /report HTTP/1.0\" 200 1234 \"-\""
                        + " \"curl/8.0\"");
        // the same requests; the CSV log has a header line more
        assertThat(fromCombined.out()).contains("format combined", "9,660 lines: 9,660 requests");
        assertThat(fromCsv.out()).contains("format csv", "9,661 lines: 9,660 requests");
        assertThat(stable(fromCombined.out().replace("format combined", "format csv")))
                .isEqualTo(stable(fromCsv.out()))
                .contains("alert");
    }

    private static String stable(String out) {
        return out.replaceAll("read in [0-9.]+ s", "read in _ s").replaceAll("[0-9,]+ lines: ", "_ lines: ");
    }

    private static String generate(long lines, long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyntheticAccessLog.writeCsv(out, lines, seed);
        return out.toString(StandardCharsets.US_ASCII);
    }
}
