package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    private static String generate(long lines, long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyntheticAccessLog.writeCsv(out, lines, seed);
        return out.toString(StandardCharsets.US_ASCII);
    }
}
