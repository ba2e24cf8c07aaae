package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alert rule, lateness and chunks, driven by log time alone. */
class LogTimeTest {

    private static MonitorOptions.Builder options() {
        return MonitorOptions.builder().format("csv");
    }

    @Test
    void twelveHundredRequestsInOneSecondAreExactlyTheThresholdAndRaiseNoAlert() {
        String log = CsvLines.withHeader().at(1000, 1200).at(1200, 1).toString();

        MonitorRun run = MonitorRun.of(options().threshold(10).build(), log);

        assertThat(run.alertSeconds()).isEmpty();
        assertThat(run.recoverySeconds()).isEmpty();
        assertThat(run.out()).contains("1,201 requests");
    }

    @Test
    void oneMoreRequestRaisesTheAlertWhichRecoversWhenTheSecondLeavesTheWindow() {
        String log = CsvLines.withHeader().at(1000, 1201).at(1200, 1).toString();

        MonitorRun run = MonitorRun.of(options().threshold(10).build(), log);

        assertThat(run.alertSeconds()).containsExactly(1000L);
        assertThat(run.alertHits()).containsExactly(1201L);
        assertThat(run.recoverySeconds()).containsExactly(1120L);
        assertThat(run.out()).contains("High traffic alert recovered at 1120 (1970-01-01 00:18:40 UTC)");
    }

    @Test
    void linesWithinTheLatenessCountInTheirSecondAndOlderOnesAreLate() {
        String log = CsvLines.withHeader()
                .at(1000, 1)
                .at(1005, 1)
                .at(1003, 1) // 2 s behind the newest: placed
                .at(1002, 1) // 3 s behind: late
                .at(1006, 1)
                .at(1004, 1) // 2 s behind: placed
                .toString();
        List<Boolean> lateFlags = new ArrayList<>();

        MonitorRun run = MonitorRun.of(
                options()
                        .json(true)
                        .chunkSize(java.time.Duration.ofSeconds(5))
                        .recordListener((record, late) -> lateFlags.add(late))
                        .build(),
                log);

        List<JsonObject> objects = SampleLogTest.jsonLines(run.out());
        assertThat(objects)
                .filteredOn(j -> j.getString("type").equals("stats"))
                .extracting(j -> j.getLong("from") + ".." + j.getLong("to") + "=" + j.getLong("requests"))
                .containsExactly("1000..1004=3", "1005..1006=2");
        JsonObject summary = objects.get(objects.size() - 1);
        assertThat(summary.getLong("records")).isEqualTo(6);
        assertThat(summary.getLong("late_lines")).isEqualTo(1);
        assertThat(lateFlags).containsExactly(false, false, false, true, false, false);
    }

    @Test
    void theOrderOfLinesWithinTheLatenessDoesNotChangeTheAlert() {
        CsvLines shuffled = CsvLines.withHeader();
        for (long s = 1000; s < 1200; s += 2) {
            shuffled.at(s + 1, 15).at(s, 15);
        }
        CsvLines ordered = CsvLines.withHeader();
        for (long s = 1000; s < 1200; s++) {
            ordered.at(s, 15);
        }

        MonitorRun a = MonitorRun.of(options().build(), shuffled.toString());
        MonitorRun b = MonitorRun.of(options().build(), ordered.toString());

        assertThat(a.alertSeconds()).isNotEmpty().isEqualTo(b.alertSeconds());
        assertThat(a.recoverySeconds()).isEqualTo(b.recoverySeconds());
    }

    @Test
    void aGapInTheLogIsReportedAsOneEmptyChunk() {
        String log = CsvLines.withHeader().at(1000, 3).at(1100, 2).toString();

        MonitorRun run = MonitorRun.of(options().json(true).build(), log);

        assertThat(SampleLogTest.jsonLines(run.out()))
                .filteredOn(j -> j.getString("type").equals("stats"))
                .extracting(j -> j.getLong("from") + ".." + j.getLong("to") + "=" + j.getLong("requests")
                        + (j.getBoolean("complete") ? "" : " partial"))
                .containsExactly("1000..1009=3", "1010..1099=0", "1100..1100=2 partial");
    }

    @Test
    void aHugeJumpInTimeIsCheap() {
        // four lines at the new time: the jump and the three lines that confirm it
        String log = CsvLines.withHeader()
                .at(1000, 2000)
                .at(1000 + 3_000_000_000L, 4)
                .toString();

        MonitorRun run = MonitorRun.of(options().build(), log);

        assertThat(run.alertSeconds()).containsExactly(1000L);
        assertThat(run.recoverySeconds()).containsExactly(1120L);
        assertThat(run.out()).contains("no requests");
    }

    @Test
    void anAlertLastsWhileTheRateStaysAboveTheThreshold() {
        CsvLines log = CsvLines.withHeader();
        for (long s = 1000; s < 1300; s++) {
            log.at(s, 20);
        }
        for (long s = 1300; s < 1500; s++) {
            log.at(s, 1);
        }

        MonitorRun run = MonitorRun.of(options().threshold(10).build(), log.toString());

        // 20/s fills half the window's threshold after 60 s; 1/s brings it back after 60 s more
        assertThat(run.alertSeconds()).containsExactly(1060L);
        assertThat(run.recoverySeconds()).hasSize(1);
        long recovered = run.recoverySeconds().get(0);
        assertThat(recovered).isBetween(1300L, 1420L);
    }
}
