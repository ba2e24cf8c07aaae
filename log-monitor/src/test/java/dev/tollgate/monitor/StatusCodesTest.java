package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status codes are counted exactly as well as by class, per chunk and over the run. */
class StatusCodesTest {

    private static final String LOG = CsvLines.withHeader()
            .request("10.0.0.1", 1000, "GET /api/a HTTP/1.1", 200, 10)
            .request("10.0.0.1", 1000, "GET /api/b HTTP/1.1", 404, 10)
            .request("10.0.0.2", 1001, "POST /login HTTP/1.1", 401, 10)
            .request("10.0.0.2", 1001, "GET /api/c HTTP/1.1", 404, 10)
            .request("10.0.0.3", 1002, "GET /api/d HTTP/1.1", 200, 10)
            .request("10.0.0.3", 1002, "GET /api/e HTTP/1.1", 302, 10)
            .request("10.0.0.3", 1011, "GET /api/f HTTP/1.1", 503, 10)
            .toString();

    @Test
    void theTextReportShowsEveryCodeUnderItsClasses() {
        MonitorRun run = MonitorRun.of(MonitorOptions.builder().build(), LOG);

        assertThat(run.out()).contains("""
                  methods   GET 5   POST 1
                  status    2xx 2   3xx 1   4xx 3
                            200 2   302 1   401 1   404 2
                """, """
                  status    5xx 1
                            503 1
                """, """
                            status 2xx 2   3xx 1   4xx 3   5xx 1
                                   200 2   302 1   401 1   404 2   503 1
                """);
    }

    @Test
    void theJsonReportCountsCodesPerChunkAndInTheSummary() {
        MonitorRun run = MonitorRun.of(MonitorOptions.builder().json(true).build(), LOG);

        List<JsonObject> objects = SampleLogTest.jsonLines(run.out());
        JsonObject first = objects.get(0);
        assertThat(first.getJsonObject("status"))
                .isEqualTo(new JsonObject().put("2xx", 2).put("3xx", 1).put("4xx", 3));
        assertThat(first.getJsonObject("status_codes").encode()).isEqualTo("{\"200\":2,\"302\":1,\"401\":1,\"404\":2}");
        JsonObject summary = objects.get(objects.size() - 1);
        assertThat(summary.getJsonObject("status").encode()).isEqualTo("{\"2xx\":2,\"3xx\":1,\"4xx\":3,\"5xx\":1}");
        assertThat(summary.getJsonObject("status_codes").encode())
                .isEqualTo("{\"200\":2,\"302\":1,\"401\":1,\"404\":2,\"503\":1}");
    }

    @Test
    void listenersGetTheCodesInCodeOrder() {
        MonitorSummary[] summary = new MonitorSummary[1];
        ChunkReport[] chunk = new ChunkReport[1];
        MonitorRun.of(
                MonitorOptions.builder()
                        .listener(new MonitorListener() {
                            @Override
                            public void onChunk(ChunkReport report) {
                                if (chunk[0] == null) {
                                    chunk[0] = report;
                                }
                            }

                            @Override
                            public void onFinish(MonitorSummary s) {
                                summary[0] = s;
                            }
                        })
                        .build(),
                LOG);

        assertThat(chunk[0].statusCodes())
                .containsExactly(
                        java.util.Map.entry(200, 2L),
                        java.util.Map.entry(302, 1L),
                        java.util.Map.entry(401, 1L),
                        java.util.Map.entry(404, 2L));
        assertThat(summary[0].statusCodes().keySet()).containsExactly(200, 302, 401, 404, 503);
        assertThat(summary[0].statusClasses().keySet()).containsExactly("2xx", "3xx", "4xx", "5xx");
    }
}
