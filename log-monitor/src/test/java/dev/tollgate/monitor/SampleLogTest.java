package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's own sample ({@link SampleLog}), whose report was computed once by running the monitor over it and
 * is pinned here: the alerts, the first chunk and the summary, as the monitor prints them.
 */
class SampleLogTest {

    private static MonitorOptions.Builder sample() {
        return MonitorOptions.builder().file(SampleLog.path()).progress(MonitorOptions.Progress.NEVER);
    }

    @Test
    void theSampleIsWhatTheGeneratorWritesForItsSeed() throws IOException {
        ByteArrayOutputStream generated = new ByteArrayOutputStream();
        SyntheticAccessLog.writeCsv(generated, SampleLog.REQUESTS, SampleLog.SEED);

        assertThat(Files.readAllBytes(SampleLog.path()))
                .as("%s as SampleLog.main writes it", SampleLog.RESOURCE)
                .isEqualTo(generated.toByteArray());
    }

    @Test
    void raisesTwoAlertsAndTwoRecoveriesAtThePinnedSeconds() {
        MonitorRun run = MonitorRun.of(sample().threshold(10).build(), "");

        assertThat(run.exitCode()).isZero();
        assertThat(run.alertSequence()).containsExactly(1549573956L, -1549574043L, 1549574163L, -1549574302L);
        assertThat(run.alertHits()).containsExactly(1215L, 1223L);
    }

    @Test
    void printsTheAlertAndRecoveryLinesWithTheHitsInTheWindowAndTheUtcTime() {
        MonitorRun run = MonitorRun.of(sample().build(), "");

        assertThat(run.out().lines().filter(line -> line.startsWith("High traffic")))
                .containsExactly(
                        "High traffic generated an alert - hits = 1215, triggered at 1549573956 (2019-02-07 21:12:36 UTC)",
                        "High traffic alert recovered at 1549574043 (2019-02-07 21:14:03 UTC)",
                        "High traffic generated an alert - hits = 1223, triggered at 1549574163 (2019-02-07 21:16:03 UTC)",
                        "High traffic alert recovered at 1549574302 (2019-02-07 21:18:22 UTC)");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void readsEveryLineWithoutBadOrLateOnes() {
        MonitorRun run = MonitorRun.of(sample().json(true).build(), "");

        JsonObject summary = jsonLines(run.out()).stream()
                .filter(j -> j.getString("type").equals("summary"))
                .findFirst()
                .orElseThrow();
        summary.remove("elapsed_ms");
        assertThat(summary).isEqualTo(new JsonObject("""
                        {"type":"summary","format":"csv","lines":4831,"records":4830,"bad_lines":0,"late_lines":0,
                         "alerts":2,"recoveries":2,"first":1549573859,"last":1549574338,
                         "status":{"2xx":3916,"4xx":417,"5xx":497},
                         "status_codes":{"200":3916,"404":417,"500":497}}"""));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonOutputIsOneObjectPerChunkAndPerAlert() {
        MonitorRun run = MonitorRun.of(sample().json(true).build(), "");

        List<JsonObject> objects = jsonLines(run.out());
        assertThat(objects)
                .extracting(j -> j.getString("type"))
                .containsOnly("stats", "traffic-high", "traffic-recovered", "summary");
        assertThat(objects)
                .filteredOn(j -> j.getString("type").startsWith("traffic-"))
                .containsExactly(new JsonObject("""
                                {"type":"traffic-high","time":1549573956,"time_utc":"2019-02-07T21:12:36.000Z","hits":1215,
                                 "window":120,"rate":10.125,"threshold":10.0,
                                 "message":"High traffic generated an alert - hits = 1215, triggered at 1549573956 (2019-02-07 21:12:36 UTC)"}"""), new JsonObject("""
                                {"type":"traffic-recovered","time":1549574043,"time_utc":"2019-02-07T21:14:03.000Z","hits":1191,
                                 "window":120,"rate":9.925,"threshold":10.0,
                                 "message":"High traffic alert recovered at 1549574043 (2019-02-07 21:14:03 UTC)"}"""), new JsonObject("""
                                {"type":"traffic-high","time":1549574163,"time_utc":"2019-02-07T21:16:03.000Z","hits":1223,
                                 "window":120,"rate":10.191666666666666,"threshold":10.0,
                                 "message":"High traffic generated an alert - hits = 1223, triggered at 1549574163 (2019-02-07 21:16:03 UTC)"}"""), new JsonObject("""
                                {"type":"traffic-recovered","time":1549574302,"time_utc":"2019-02-07T21:18:22.000Z","hits":1181,
                                 "window":120,"rate":9.841666666666667,"threshold":10.0,
                                 "message":"High traffic alert recovered at 1549574302 (2019-02-07 21:18:22 UTC)"}"""));
        List<JsonObject> chunks = objects.stream()
                .filter(j -> j.getString("type").equals("stats"))
                .toList();
        assertThat(chunks.stream().mapToLong(j -> j.getLong("requests")).sum()).isEqualTo(4830);
        JsonObject full = chunks.get(1);
        assertThat(full).isEqualTo(new JsonObject("""
                        {"type":"stats","from":1549573870,"to":1549573879,
                         "from_time":"2019-02-07T21:11:10.000Z","to_time":"2019-02-07T21:11:19.000Z",
                         "complete":true,"requests":94,"bytes":115921,"rate":9.4,
                         "sections":[{"section":"/api","hits":78,"share":0.8297872340425532},
                                     {"section":"/report","hits":16,"share":0.1702127659574468}],
                         "methods":{"GET":78,"POST":16},
                         "status":{"2xx":76,"4xx":6,"5xx":12},
                         "status_codes":{"200":76,"404":6,"500":12},
                         "hosts":[{"host":"10.0.0.1","hits":34,"share":0.3617021276595745},
                                  {"host":"10.0.0.2","hits":20,"share":0.2127659574468085},
                                  {"host":"10.0.0.5","hits":18,"share":0.19148936170212766},
                                  {"host":"10.0.0.4","hits":16,"share":0.1702127659574468},
                                  {"host":"10.0.0.3","hits":6,"share":0.06382978723404255}]}"""));
        assertThat(objects.get(objects.size() - 1).getString("type")).isEqualTo("summary");
    }

    @Test
    void textChunksShowRangeRequestsSectionsMethodsStatusAndHosts() {
        MonitorRun run = MonitorRun.of(sample().build(), "");

        String chunk = run.out().substring(0, run.out().indexOf("\n\n"));
        // the lines of 1549573859 come after ones of ...860, within the lateness: they join the first chunk
        assertThat(chunk).isEqualTo("""
                2019-02-07 21:10:59 .. 21:11:09 UTC  [1549573859 .. 1549573869]
                  requests  93 in 11 s (8.5/s), 114,181 bytes
                  sections  /api     77   82.8%
                            /report  16   17.2%
                  methods   GET 66   POST 27
                  status    2xx 72   4xx 8   5xx 13
                            200 72   404 8   500 13
                  hosts     10.0.0.1  30   32.3%
                            10.0.0.2  19   20.4%
                            10.0.0.3  18   19.4%
                            10.0.0.5  18   19.4%
                            10.0.0.4   8    8.6%""");
        assertThat(run.out()).contains("""
                  summary   4,831 lines: 4,830 requests, 0 bad, 0 late
                            2 alerts, 2 recoveries
                            status 2xx 3,916   4xx 417   5xx 497
                                   200 3,916   404 417   500 497
                            log time 1549573859 .. 1549574338 (2019-02-07 21:10:59 .. 21:18:58 UTC)
                """);
    }

    static List<JsonObject> jsonLines(String out) {
        List<JsonObject> objects = new ArrayList<>();
        Stream.of(out.split("\n")).filter(line -> !line.isEmpty()).forEach(line -> objects.add(new JsonObject(line)));
        return objects;
    }
}
