package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON and CSV reports over HTTP, for a staff account sending HTTP Basic credentials (as {@code curl -u}). */
class ReportRoutesTest {

    @TempDir
    static Path dir;

    private static TestDashboard dashboard;

    @BeforeAll
    static void start() {
        dashboard = TestDashboard.start(dir, TestDashboard.exampleLog());
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    private static HttpResponse<Buffer> get(String path) {
        return await(dashboard.asStaff(path).send());
    }

    @Test
    void theSummaryIsTheStoresTrafficSummaryOfTheWindow() {
        HttpResponse<Buffer> response = get("/ratelimit/api/summary?days=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(response.bodyAsJsonObject())
                .isEqualTo(new JsonObject("{\"days\":1,\"total\":27,\"allowed\":17,"
                        + "\"blocked\":8,\"shadow_blocked\":2,\"block_rate\":0.2962962962962963}"));
        assertThat(get("/ratelimit/api/summary").bodyAsJsonObject())
                .isEqualTo(new JsonObject("{\"days\":7,\"total\":28,"
                        + "\"allowed\":17,\"blocked\":9,\"shadow_blocked\":2,\"block_rate\":0.32142857142857145}"));
        assertThat(response.bodyAsString())
                .as("shadow_blocked beside blocked, the block rate last")
                .contains("\"blocked\":8,\"shadow_blocked\":2,\"block_rate\"");
    }

    @Test
    void daysIsAnIntegerClampedToOneToThreeHundredSixtyFiveAndSevenOtherwise() {
        Map<String, Integer> cases = Map.of(
                "?days=0",
                1,
                "?days=-3",
                1,
                "?days=366",
                365,
                "?days=abc",
                7,
                "?days=7.5",
                7,
                "?days=",
                7,
                "",
                7,
                "?days=30",
                30,
                "?days=99999999999999",
                365,
                "?days=1",
                1);
        cases.forEach((query, days) -> {
            for (String route : List.of("api/summary", "api/timeseries")) {
                HttpResponse<Buffer> response = get("/ratelimit/" + route + query);
                assertThat(response.statusCode()).as(route + query).isEqualTo(200);
                assertThat(response.bodyAsJsonObject().getInteger("days"))
                        .as(route + query)
                        .isEqualTo(days);
            }
            JsonObject offender = get("/ratelimit/dashboard/offender/?key=user:42" + query.replace('?', '&'))
                    .bodyAsJsonObject();
            assertThat(offender.getInteger("days")).as("offender" + query).isEqualTo(days);
            assertThat(Parameters.days(query.startsWith("?days=") ? query.substring(6) : null))
                    .isEqualTo(days);
        });
    }

    @Test
    void topOffendersAreKeysWithBlockedCounts() {
        HttpResponse<Buffer> response = get("/ratelimit/api/offenders?days=7");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonArray())
                .isEqualTo(
                        new JsonArray(
                                "[{\"key\":\"ip:203.0.113.5\",\"blocked_count\":6},"
                                        + "{\"key\":\"user:42\",\"blocked_count\":2},{\"key\":\"ip:198.51.100.7\",\"blocked_count\":1}]"));
        assertThat(get("/ratelimit/api/offenders?days=7&limit=1").bodyAsJsonArray())
                .hasSize(1);
        assertThat(get("/ratelimit/api/offenders?days=1").bodyAsJsonArray()).hasSize(2);
        assertThat(get("/ratelimit/api/offenders?days=7&shadow=false").bodyAsJsonArray())
                .isEqualTo(response.bodyAsJsonArray());
        assertThat(response.bodyAsString())
                .as("every request of the shadow rule's client was served")
                .doesNotContain("ip:192.0.2.80");
    }

    @Test
    void shadowTrueRanksTheWouldBeOffendersOfShadowRulesInstead() {
        HttpResponse<Buffer> response = get("/ratelimit/api/offenders?days=7&shadow=true");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(response.bodyAsJsonArray())
                .isEqualTo(new JsonArray("[{\"key\":\"ip:192.0.2.80\",\"shadow_blocked_count\":2}]"));
        assertThat(get("/ratelimit/api/offenders?days=7&shadow=TRUE").bodyAsJsonArray())
                .isEqualTo(response.bodyAsJsonArray());
        HttpResponse<Buffer> bad = get("/ratelimit/api/offenders?shadow=maybe");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.bodyAsJsonObject().getString("error"))
                .startsWith("shadow must be true")
                .contains("got 'maybe'");
    }

    @Test
    void ruleHitsAreRulesWithHitsAndBlocked() {
        assertThat(get("/ratelimit/api/rules?days=7").bodyAsJsonArray())
                .isEqualTo(new JsonArray("[{\"rule_name\":\"login\",\"hits\":15,\"blocked\":5,\"shadow_blocked\":0},"
                        + "{\"rule_name\":\"api\",\"hits\":8,\"blocked\":4,\"shadow_blocked\":0},"
                        + "{\"rule_name\":\"export-trial\",\"hits\":4,\"blocked\":0,\"shadow_blocked\":2}]"));
    }

    @Test
    void theTimeSeriesHasTheStoresBucketsAndAddsUpToTheSummary() {
        JsonObject series = get("/ratelimit/api/timeseries?days=1&buckets=4").bodyAsJsonObject();
        assertThat(series.getInteger("bucket_width_ms")).isEqualTo(21_600_000);
        assertThat(series.getJsonArray("buckets").getJsonObject(0))
                .isEqualTo(new JsonObject(
                        "{\"start\":\"2026-03-14T12:00:00.000Z\",\"end\":\"2026-03-14T18:00:00.000Z\",\"allowed\":4,\"blocked\":2,"
                                + "\"shadow_blocked\":0}"));
        assertThat(series.getJsonArray("buckets").getJsonObject(3).getLong("allowed"))
                .isEqualTo(13);
        assertThat(series.getJsonArray("buckets").getJsonObject(3).getLong("shadow_blocked"))
                .isEqualTo(2);
        JsonObject byDefault = get("/ratelimit/api/timeseries?days=1").bodyAsJsonObject();
        assertThat(byDefault.getJsonArray("buckets")).hasSize(24);
        long total = 0;
        for (Object bucket : byDefault.getJsonArray("buckets")) {
            total += ((JsonObject) bucket).getLong("allowed")
                    + ((JsonObject) bucket).getLong("blocked")
                    + ((JsonObject) bucket).getLong("shadow_blocked");
        }
        assertThat(total).isEqualTo(27);
    }

    @Test
    void theOffenderDetailIsTheStoresJsonWithItsFieldsInOrder() {
        HttpResponse<Buffer> response = get("/ratelimit/dashboard/offender/?key=ip:203.0.113.5&days=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        JsonObject detail = response.bodyAsJsonObject();
        assertThat(detail.fieldNames())
                .containsExactly(
                        "key",
                        "days",
                        "total",
                        "allowed",
                        "blocked",
                        "shadow_blocked",
                        "block_rate",
                        "first_seen",
                        "last_seen",
                        "by_path",
                        "recent_events");
        assertThat(detail)
                .isEqualTo(await(dashboard.store.offenderDetail("ip:203.0.113.5", 1))
                        .toJson());
        assertThat(detail.getLong("blocked")).isEqualTo(6);
        assertThat(detail.getString("first_seen")).isEqualTo("2026-03-15T07:00:00.000Z");
        assertThat(detail.getJsonArray("recent_events")).hasSize(16);
        assertThat(detail.getJsonArray("recent_events").getJsonObject(0).fieldNames())
                .containsExactly("timestamp", "path", "method", "allowed", "shadow", "count", "limit", "rule_name");
        assertThat(response.bodyAsString()).startsWith("{\"key\":\"ip:203.0.113.5\",\"days\":1,\"total\":16,");
    }

    @Test
    void anUnknownKeyHasAnEmptyDetail() {
        assertThat(get("/ratelimit/dashboard/offender/?key=ip:10.9.9.9").bodyAsJsonObject())
                .isEqualTo(new JsonObject(
                        "{\"key\":\"ip:10.9.9.9\",\"days\":7,\"total\":0,\"allowed\":0,\"blocked\":0,\"shadow_blocked\":0,"
                                + "\"block_rate\":0.0,"
                                + "\"first_seen\":null,\"last_seen\":null,\"by_path\":[],\"recent_events\":[]}"));
    }

    @Test
    void aMissingOrEmptyKeyIsABadRequest() {
        for (String path : List.of(
                "/ratelimit/dashboard/offender/",
                "/ratelimit/dashboard/offender/?key=",
                "/ratelimit/dashboard/offender/?days=3")) {
            HttpResponse<Buffer> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
            assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "missing ?key= parameter"));
        }
    }

    @Test
    void theOffendersCsvIsAnAttachmentWithAHeaderAndCrlfRows() {
        HttpResponse<Buffer> response = get("/ratelimit/dashboard/offenders.csv?days=7");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("text/csv");
        assertThat(response.getHeader("Content-Disposition"))
                .isEqualTo("attachment; filename=\"ratelimit_offenders.csv\"");
        assertThat(response.bodyAsString()).isEqualTo("""
                        key,blocked_count\r
                        ip:203.0.113.5,6\r
                        user:42,2\r
                        ip:198.51.100.7,1\r
                        """);
        assertThat(get("/ratelimit/dashboard/offenders.csv?days=1").bodyAsString())
                .isEqualTo("key,blocked_count\r\nip:203.0.113.5,6\r\nuser:42,2\r\n");
    }

    @Test
    void theShadowOffendersCsvListsTheWouldBeOffendersUnderAHeaderAndFileNameOfTheirOwn() {
        HttpResponse<Buffer> response = get("/ratelimit/dashboard/offenders.csv?days=7&shadow=true");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("text/csv");
        assertThat(response.getHeader("Content-Disposition"))
                .isEqualTo("attachment; filename=\"ratelimit_shadow_offenders.csv\"");
        assertThat(response.bodyAsString()).isEqualTo("key,shadow_blocked_count\r\nip:192.0.2.80,2\r\n");
        assertThat(get("/ratelimit/dashboard/offenders.csv?days=7&shadow=false").bodyAsString())
                .startsWith("key,blocked_count\r\n")
                .doesNotContain("ip:192.0.2.80");
        assertThat(get("/ratelimit/dashboard/offenders.csv?shadow=yes").statusCode())
                .isEqualTo(400);
    }

    @Test
    void theCsvQuotesAndDefusesKeysAndStopsAtAThousandRows(@TempDir Path own) {
        List<RateLimitEvent> events = new ArrayList<>();
        List<String> awkward = List.of(
                "=cmd|' /C calc'!A0",
                "+1",
                "-2",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "a,b",
                "say \"hi\"",
                "line\nbreak",
                "plain");
        for (int i = 0; i < awkward.size(); i++) {
            for (int j = 0; j < 3; j++) {
                events.add(TestDashboard.blocked(awkward.get(i), TestDashboard.NOW.minus(Duration.ofMinutes(i + 1))));
            }
        }
        for (int i = 0; i < 1100; i++) {
            events.add(TestDashboard.blocked(
                    "ip:10.0." + (i / 250) + "." + (i % 250), TestDashboard.NOW.minusSeconds(30)));
        }
        try (TestDashboard big = TestDashboard.start(own, events)) {
            String csv = await(big.asStaff("/ratelimit/dashboard/offenders.csv").send())
                    .bodyAsString();
            assertThat(csv).startsWith("key,blocked_count\r\n");
            assertThat(csv)
                    .contains(
                            "\r\n'=cmd|' /C calc'!A0,3\r\n",
                            "\r\n'+1,3\r\n",
                            "\r\n'-2,3\r\n",
                            "\r\n'@SUM(A1),3\r\n",
                            "\r\n'\tx,3\r\n",
                            "\r\n\"'\rx\",3\r\n",
                            "\r\n\"a,b\",3\r\n",
                            "\r\n\"say \"\"hi\"\"\",3\r\n",
                            "\r\n\"line\nbreak\",3\r\n",
                            "\r\nplain,3\r\n");
            assertThat(csv.split("\r\n", -1)).hasSize(1 + 1000 + 1);
            assertThat(csv).endsWith("\r\n");
        }
    }

    @Test
    void everyReportAnswersAStaffAccountOverHttpBasic() {
        for (String path : List.of(
                "/ratelimit/api/summary",
                "/ratelimit/api/offenders",
                "/ratelimit/api/rules",
                "/ratelimit/api/offenders?shadow=true",
                "/ratelimit/dashboard/offenders.csv?shadow=true",
                "/ratelimit/api/timeseries",
                "/ratelimit/dashboard/offenders.csv",
                "/ratelimit/dashboard/offender/?key=user:42")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(200);
            HttpResponse<Buffer> wrong =
                    await(TestDashboard.basic(dashboard.anonymous(path), TestDashboard.STAFF, "wrong")
                            .send());
            assertThat(wrong.statusCode()).as(path).isEqualTo(403);
            assertThat(wrong.getHeader("WWW-Authenticate")).isNull();
        }
    }
}
