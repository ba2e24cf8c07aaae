package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared sample, whose alerts are published with it: the checks that the monitor agrees with them. A
 * clone without {@code shared/data} next to it skips them; {@link SampleLogTest} checks the project's own
 * sample everywhere.
 */
class SharedSampleTest {

    private static MonitorOptions.Builder sample() {
        return MonitorOptions.builder().file(SharedData.sampleCsv()).progress(MonitorOptions.Progress.NEVER);
    }

    @Test
    void raisesTwoAlertsAndTwoRecoveriesAtTheKnownSeconds() {
        MonitorRun run = MonitorRun.of(sample().threshold(10).build(), "");

        assertThat(run.exitCode()).isZero();
        assertThat(run.alertSeconds()).hasSize(2);
        assertThat(run.recoverySeconds()).hasSize(2);
        assertThat(run.alertSeconds().get(0)).isCloseTo(1549573956L, within(3L));
        assertThat(run.recoverySeconds().get(0)).isCloseTo(1549574043L, within(3L));
        assertThat(run.alertSeconds().get(1)).isCloseTo(1549574163L, within(3L));
        assertThat(run.recoverySeconds().get(1)).isCloseTo(1549574302L, within(3L));
        assertThat(run.alertSequence()).extracting(s -> Long.signum(s)).containsExactly(1, -1, 1, -1);
    }

    @Test
    void printsTheAlertLinesWithTheHitsInTheWindowAndTheUtcTime() {
        MonitorRun run = MonitorRun.of(sample().build(), "");

        assertThat(run.out())
                .contains(
                        "High traffic generated an alert - hits = 1206, triggered at 1549573956 (2019-02-07 21:12:36 UTC)\n",
                        "High traffic alert recovered at 1549574043 (2019-02-07 21:14:03 UTC)\n");
    }

    @Test
    void readsEveryLineWithoutBadOrLateOnes() {
        MonitorRun run = MonitorRun.of(sample().json(true).build(), "");

        JsonObject summary = SampleLogTest.jsonLines(run.out()).stream()
                .filter(j -> j.getString("type").equals("summary"))
                .findFirst()
                .orElseThrow();
        assertThat(summary.getString("format")).isEqualTo("csv");
        assertThat(summary.getLong("lines")).isEqualTo(4831);
        assertThat(summary.getLong("records")).isEqualTo(4830);
        assertThat(summary.getLong("bad_lines")).isZero();
        assertThat(summary.getLong("late_lines")).isZero();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonOutputIsOneObjectPerChunkAndPerAlert() {
        MonitorRun run = MonitorRun.of(sample().json(true).build(), "");

        List<JsonObject> objects = SampleLogTest.jsonLines(run.out());
        assertThat(objects)
                .extracting(j -> j.getString("type"))
                .containsOnly("stats", "traffic-high", "traffic-recovered", "summary");
        assertThat(objects)
                .filteredOn(j -> j.getString("type").equals("traffic-high"))
                .extracting(j -> j.getLong("time"))
                .containsExactly(1549573956L, 1549574163L);
        List<JsonObject> chunks = objects.stream()
                .filter(j -> j.getString("type").equals("stats"))
                .toList();
        assertThat(chunks.stream().mapToLong(j -> j.getLong("requests")).sum()).isEqualTo(4830);
        JsonObject first = chunks.get(0);
        assertThat(first.getLong("from")).isEqualTo(1549573859L);
        assertThat(first.getLong("to")).isEqualTo(1549573869L);
        JsonObject full = chunks.get(1);
        assertThat(full.getLong("from")).isEqualTo(1549573870L);
        assertThat(full.getLong("to")).isEqualTo(1549573879L);
        assertThat(full.getString("from_time")).isEqualTo("2019-02-07T21:11:10.000Z");
        assertThat(full.getJsonArray("sections").getJsonObject(0).getString("section"))
                .isEqualTo("/api");
        assertThat(full.getJsonObject("status").fieldNames()).containsExactly("2xx", "4xx", "5xx");
        assertThat(full.getJsonObject("status_codes").fieldNames()).containsExactly("200", "404", "500");
        JsonObject summary = objects.get(objects.size() - 1);
        assertThat(summary.getJsonObject("status"))
                .isEqualTo(new JsonObject().put("2xx", 3868).put("4xx", 458).put("5xx", 504));
        assertThat(summary.getJsonObject("status_codes"))
                .isEqualTo(new JsonObject().put("200", 3868).put("404", 458).put("500", 504));
        long sectionHits = full.getJsonArray("sections").stream()
                .mapToLong(o -> ((JsonObject) o).getLong("hits"))
                .sum();
        assertThat(sectionHits).isEqualTo(full.getLong("requests"));
        assertThat(objects.get(objects.size() - 1).getString("type")).isEqualTo("summary");
    }

    @Test
    void textChunksShowRangeRequestsSectionsMethodsStatusAndHosts() {
        MonitorRun run = MonitorRun.of(sample().build(), "");

        String chunk = run.out().substring(0, run.out().indexOf("\n\n"));
        // the line of 1549573859 comes after one of ...860, within the lateness: it joins the first chunk
        assertThat(chunk).isEqualTo("""
                2019-02-07 21:10:59 .. 21:11:09 UTC  [1549573859 .. 1549573869]
                  requests  90 in 11 s (8.2/s), 111,058 bytes
                  sections  /api     59   65.6%
                            /report  31   34.4%
                  methods   GET 68   POST 22
                  status    2xx 76   4xx 10   5xx 4
                            200 76   404 10   500 4
                  hosts     10.0.0.1  22   24.4%
                            10.0.0.5  22   24.4%
                            10.0.0.2  20   22.2%
                            10.0.0.3  13   14.4%
                            10.0.0.4  13   14.4%""");
        assertThat(run.out()).contains("""
                  summary   4,831 lines: 4,830 requests, 0 bad, 0 late
                            2 alerts, 2 recoveries
                            status 2xx 3,868   4xx 458   5xx 504
                                   200 3,868   404 458   500 504
                            log time 1549573859 .. 1549574340 (2019-02-07 21:10:59 .. 21:19:00 UTC)
                """);
    }
}
