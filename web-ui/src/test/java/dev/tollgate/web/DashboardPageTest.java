package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Addresses;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.test.support.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML of the dashboard, the drill-down, the events page and the live stream, as a staff account sees them. */
class DashboardPageTest {

    static final String SCRIPT_KEY = "<script>alert(1)</script>";

    @TempDir
    static Path dir;

    private static TestDashboard dashboard;

    @BeforeAll
    static void start() {
        List<RateLimitEvent> events = new ArrayList<>(TestDashboard.exampleLog());
        events.add(TestDashboard.blocked(SCRIPT_KEY, TestDashboard.NOW.minus(Duration.ofDays(2))));
        dashboard = TestDashboard.start(dir, events);
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    private static HttpResponse<Buffer> get(String path) {
        return await(dashboard.asStaff(path).send());
    }

    private static HttpResponse<Buffer> htmx(String path) {
        return await(dashboard.asStaff(path).putHeader("HX-Request", "true").send());
    }

    @Test
    void thePageShowsTodayTheWindowTheChartTheTablesAndTheCsvLink() {
        HttpResponse<Buffer> response = get("/ratelimit/dashboard/?days=7");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
        String html = response.bodyAsString();
        assertThat(cards(html, "today")).containsExactly("27", "17", "8", "2", "0.296");
        assertThat(cards(html, "window")).containsExactly("29", "17", "10", "2", "0.345");
        assertThat(html)
                .contains(
                        "<script src=\"/ratelimit/static/htmx.min.js\"></script>",
                        "<script src=\"/ratelimit/static/htmx-ext-sse.js\"></script>",
                        "hx-ext=\"sse\" sse-connect=\"/ratelimit/dashboard/events\"",
                        "sse-swap=\"live\"",
                        "<a id=\"csv-link\" href=\"/ratelimit/dashboard/offenders.csv?days=7\">",
                        "<a id=\"shadow-csv-link\" href=\"/ratelimit/dashboard/offenders.csv?days=7&amp;shadow=true\"",
                        """
                        <td class="key"><a href="/ratelimit/dashboard/log/?rule=export-trial">export-trial</a></td>
                                                    <td class="num">4</td>
                                                    <td class="num">0</td>
                                                    <td class="num">2</td>""",
                        "hx-get=\"/ratelimit/dashboard/\" hx-target=\"#panels\" hx-swap=\"outerHTML\" hx-push-url=\"true\"",
                        "<form class=\"toolbar\" id=\"range-form\" method=\"get\" action=\"/ratelimit/dashboard/\"",
                        "<option value=\"7d\" selected>",
                        "hx-get=\"/ratelimit/dashboard/chart?days=7\" hx-trigger=\"sse:live throttle:60s\"",
                        "<svg viewBox=\"0 0 720 160\"",
                        "hx-get=\"/ratelimit/dashboard/offender/?key=ip%3A203.0.113.5&amp;days=7\" hx-target=\"#offender-0\"",
                        ">ip:203.0.113.5</a>",
                        ">login</a>");
        assertThat(html).doesNotContain("offenders-empty", "rules-empty", "dropped-banner", "http://", "https://");
        assertThat(Pattern.compile("<rect class=\"blocked\"")
                        .matcher(html)
                        .results()
                        .count())
                .isEqualTo(28);
        assertThat(Pattern.compile("<rect class=\"shadow\"")
                        .matcher(html)
                        .results()
                        .count())
                .isEqualTo(28);
        assertThat(html)
                .contains(
                        "2026-03-15 06:00:00 to 2026-03-15 12:00:00: 13 allowed, 2 would block (shadow), 6 blocked</title>");
        assertThat(html)
                .as("the client of the shadow rule is no offender")
                .doesNotContain("dashboard/offender/?key=ip%3A192.0.2.80");
    }

    @Test
    void theWindowComesFromDaysAndTheSelectorOffersIt() {
        String html = get("/ratelimit/dashboard/?days=12").bodyAsString();
        assertThat(html).contains("<option value=\"12d\" selected>", "dashboard/offenders.csv?days=12", "Last 12 days");
        assertThat(get("/ratelimit/dashboard/?days=abc").bodyAsString()).contains("<option value=\"7d\" selected>");
        assertThat(get("/ratelimit/dashboard/?days=0").bodyAsString()).contains("<option value=\"1d\" selected>");
    }

    @Test
    void theWindowComesFromARangeDownToFifteenMinutesInTenSecondBars() {
        String html = get("/ratelimit/dashboard/?range=15m").bodyAsString();
        assertThat(html)
                .contains(
                        "<section id=\"panels\" data-range=\"15m\" data-days=\"0\">",
                        "<option value=\"15m\" selected>",
                        "Last 15 minutes",
                        "dashboard/offenders.csv?range=15m",
                        "per 10 seconds",
                        "hx-get=\"/ratelimit/dashboard/chart?range=15m\" hx-trigger=\"sse:live throttle:2s\"");
        // the example log's newest events are 42 minutes old: the last 15 minutes are empty, the last hour is not
        assertThat(cards(html, "window")).containsExactly("0", "0", "0", "0", "0.000");
        assertThat(cards(get("/ratelimit/dashboard/?range=1h").bodyAsString(), "window"))
                .first()
                .isNotEqualTo("0");
        assertThat(get("/ratelimit/dashboard/?range=90d").bodyAsString()).contains("<option value=\"90d\" selected>");
        HttpResponse<Buffer> refused = get("/ratelimit/dashboard/?range=2h");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.bodyAsString()).contains("range must be one of 15m, 1h, 6h, 24h, 7d, 30d");
        assertThat(get("/ratelimit/dashboard/?range=366d").statusCode()).isEqualTo(400);
        assertThat(get("/ratelimit/dashboard/?range=%3Cscript%3E").getHeader("Content-Type"))
                .as("a refused range is answered in JSON, never as a page")
                .isEqualTo("application/json; charset=utf-8");
    }

    @Test
    void theChartAloneMovesWithTheRange() {
        String chart = htmx("/ratelimit/dashboard/chart?range=1h").bodyAsString();
        assertThat(chart.strip()).startsWith("<div class=\"chart\" id=\"chart\"");
        assertThat(Pattern.compile("<rect class=\"blocked\"")
                        .matcher(chart)
                        .results()
                        .count())
                .isEqualTo(60);
        assertThat(chart).contains("per minute");
    }

    @Test
    void anHtmxRequestGetsThePanelsAloneForTheSwap() {
        HttpResponse<Buffer> response = htmx("/ratelimit/dashboard/?days=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Vary")).isEqualTo("HX-Request");
        String html = response.bodyAsString();
        assertThat(html.strip())
                .startsWith("<section id=\"panels\" data-range=\"1d\" data-days=\"1\">")
                .endsWith("</section>");
        assertThat(html).doesNotContain("<html", "id=\"today\"");
        assertThat(cards(html, "window")).containsExactly("27", "17", "8", "2", "0.296");
        HttpResponse<Buffer> restore = await(dashboard
                .asStaff("/ratelimit/dashboard/?days=1")
                .putHeader("HX-Request", "true")
                .putHeader("HX-History-Restore-Request", "true")
                .send());
        assertThat(restore.bodyAsString()).contains("<!DOCTYPE html>");
    }

    @Test
    void anOffenderRowOpensItsDrillDownFragment() {
        HttpResponse<Buffer> response = htmx("/ratelimit/dashboard/offender/?key=ip%3A203.0.113.5&days=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
        String html = response.bodyAsString();
        assertThat(html.strip()).startsWith("<td colspan=\"2\">");
        assertThat(html)
                .contains(
                        "<h3>ip:203.0.113.5</h3>",
                        "<dd>16</dd><dd>10</dd><dd>6</dd>",
                        "<dd>0.375</dd>",
                        "<dd>2026-03-15 07:00</dd>",
                        "<td class=\"key\">/api/login</td><td class=\"num\">5</td>",
                        "href=\"/ratelimit/dashboard/log/?key=ip%3A203.0.113.5\"");
    }

    @Test
    void aKeyThatLooksLikeMarkupIsShownAsText() {
        String page = get("/ratelimit/dashboard/?days=7").bodyAsString();
        assertThat(page).doesNotContain(SCRIPT_KEY);
        assertThat(page)
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "key=%3Cscript%3Ealert%281%29%3C%2Fscript%3E");
        String fragment = htmx("/ratelimit/dashboard/offender/?key=" + Parameters.encode(SCRIPT_KEY))
                .bodyAsString();
        assertThat(fragment).doesNotContain(SCRIPT_KEY).contains("<h3>&lt;script&gt;alert(1)&lt;/script&gt;</h3>");
        String events = get("/ratelimit/dashboard/log/?q=script").bodyAsString();
        assertThat(events).doesNotContain(SCRIPT_KEY).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void pagesForbidInlineScriptsAndFraming() {
        HttpResponse<Buffer> response = get("/ratelimit/dashboard/");
        assertThat(response.getHeader("Content-Security-Policy"))
                .contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(response.bodyAsString()).doesNotContain("<script>");
        assertThat(Pattern.compile("\\son[a-z]+=")
                        .matcher(response.bodyAsString())
                        .find())
                .isFalse();
    }

    @Test
    void htmxAndItsSseExtensionAreServedFromTheWebjars() {
        HttpResponse<Buffer> htmx = get("/ratelimit/static/htmx.min.js");
        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.getHeader("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(htmx.bodyAsString()).contains("htmx");
        HttpResponse<Buffer> sse = get("/ratelimit/static/htmx-ext-sse.js");
        assertThat(sse.bodyAsString()).contains("defineExtension('sse'");
        assertThat(get("/ratelimit/static/other.js").statusCode()).isEqualTo(404);
    }

    @Test
    void anEmptyStoreShowsAnEmptyStateForEachTableAndTheChart(@TempDir Path own) {
        try (TestDashboard empty = TestDashboard.start(own, List.of())) {
            String html = await(empty.asStaff("/ratelimit/dashboard/").send()).bodyAsString();
            assertThat(html)
                    .contains(
                            "id=\"offenders-empty\"",
                            "id=\"rules-empty\"",
                            "id=\"chart-empty\"",
                            "id=\"blocked-paths-empty\"",
                            "id=\"blocked-agents-empty\"",
                            "id=\"upstream-empty\"",
                            "id=\"rule-share-empty\"");
            assertThat(cards(html, "window")).containsExactly("0", "0", "0", "0", "0.000");
            assertThat(await(empty.asStaff("/ratelimit/dashboard/log/").send()).bodyAsString())
                    .contains("id=\"events-empty\"");
        }
    }

    @Test
    void theFactsPanelsShowBlockedPathsUserAgentsTheUpstreamAndBlocksPerRule(@TempDir Path own) {
        Instant now = TestDashboard.NOW;
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(TestDashboard.blocked("ip:198.51.100.7", now.minusSeconds(60 + i)).toBuilder()
                    .path(i < 4 ? "/api/orders" : "/api/<b>x</b>")
                    .ruleName(i < 5 ? "api" : "login")
                    .userAgent(i < 3 ? "curl/8.5" : "<script>alert(1)</script>")
                    .build());
        }
        for (int i = 0; i < 10; i++) {
            events.add(
                    TestDashboard.event(
                                    now.minusSeconds(30 + i), "ip:198.51.100.8", "api", "/api/items", "GET", true, 1)
                            .toBuilder()
                            .userAgent("Mozilla/5.0")
                            .upstreamStatus(i < 8 ? 200 : 503)
                            .upstreamLatency(Duration.ofMillis(10 + i))
                            .build());
        }
        try (TestDashboard facts = TestDashboard.start(own, events)) {
            String html = await(facts.asStaff("/ratelimit/dashboard/?range=15m").send())
                    .bodyAsString();
            assertThat(html)
                    .contains(
                            "<td class=\"key\">/api/orders</td><td class=\"num\">4</td>",
                            "<td class=\"key\">/api/&lt;b&gt;x&lt;/b&gt;</td><td class=\"num\">2</td>",
                            "<td class=\"key\">&lt;script&gt;alert(1)&lt;/script&gt;</td><td class=\"num\">3</td>",
                            "<td class=\"key\">curl/8.5</td><td class=\"num\">3</td>",
                            "<td class=\"num\" data-class=\"2xx\">8</td>",
                            "<td class=\"num\" data-class=\"5xx\">2</td>",
                            "<span class=\"swatch series-0\"></span>api</span>",
                            "<span class=\"swatch series-1\"></span>login</span>",
                            "<span class=\"swatch series-2\"></span>other</span>")
                    .doesNotContain("<script>alert(1)</script>", "Mozilla/5.0");
            assertThat(html).containsPattern("id=\"upstream-p50\">1[0-9]\\.[0-9] ms<");

            String drill = await(facts.asStaff("/ratelimit/dashboard/offender/?key=ip%3A198.51.100.7&range=15m")
                            .putHeader("HX-Request", "true")
                            .send())
                    .bodyAsString();
            assertThat(drill)
                    .contains("id=\"offender-timeline\"", "id=\"offender-agents\"")
                    .contains("<td class=\"key\">curl/8.5</td><td class=\"num\">3</td>");
            assertThat(Pattern.compile("<rect class=\"blocked\"")
                            .matcher(drill)
                            .results()
                            .count())
                    .as("a bar a minute")
                    .isEqualTo(60);
        }
    }

    @Test
    void aBannerShowsWhenEventsAreBeingDropped(@TempDir Path own) {
        try (TestDashboard dropping = TestDashboard.start(own, List.of())) {
            assertThat(await(dropping.asStaff("/ratelimit/dashboard/").send()).bodyAsString())
                    .doesNotContain("dropped-banner");
            dropping.tollgate.metrics().dropped(42);
            assertThat(await(dropping.asStaff("/ratelimit/dashboard/").send()).bodyAsString())
                    .contains("id=\"dropped-banner\"", "42 events could not be recorded");
        }
    }

    @Test
    void theLiveStreamTurnsEachStatsMessageIntoServerSentEvents() {
        HttpClient http = dashboard.vertx.createHttpClient();
        StringBuilder received = new StringBuilder();
        String authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString((TestDashboard.STAFF + ":" + TestDashboard.STAFF_PASSWORD)
                                .getBytes(StandardCharsets.UTF_8));
        // the whole chain is built on one event loop, which cannot read the response before the handler is set
        io.vertx.core.Promise<HttpClientResponse> opened = io.vertx.core.Promise.promise();
        dashboard
                .vertx
                .getOrCreateContext()
                .runOnContext(start -> http.request(new RequestOptions()
                                .setMethod(HttpMethod.GET)
                                .setHost("127.0.0.1")
                                .setPort(dashboard.port())
                                .setURI("/ratelimit/dashboard/events")
                                .putHeader("Authorization", authorization))
                        .compose(request -> request.send())
                        .onSuccess(streaming -> streaming.handler(chunk -> {
                            synchronized (received) {
                                received.append(chunk.toString(StandardCharsets.UTF_8));
                            }
                        }))
                        .onComplete(opened));
        HttpClientResponse response = await(opened.future());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
        JsonObject stats = new JsonObject("{\"timestamp\":1773576005,\"second\":{\"requests\":31,\"allowed\":30,"
                + "\"blocked\":1},\"minute\":{\"requests\":900,\"allowed\":870,\"blocked\":30},\"recorded\":5,"
                + "\"dropped\":0,\"buffered\":0}");
        Await.until(
                () -> {
                    dashboard.vertx.eventBus().publish(Addresses.STATS, stats);
                    synchronized (received) {
                        return received.indexOf("event: live") >= 0
                                && received.indexOf("\n\n", received.indexOf("event: live")) > 0;
                    }
                },
                "a live event");
        String text;
        synchronized (received) {
            text = received.toString();
        }
        assertThat(text).startsWith("retry: 2000\n\n");
        assertThat(text).contains("event: stats\ndata: " + stats.encode() + "\n\n");
        assertThat(text)
                .contains(
                        "data: <span class=\"counter\">Last second: <b id=\"live-second-requests\">31</b>",
                        "<b id=\"live-minute-requests\">900</b>",
                        "live at 12:00:05 UTC");
        await(http.close());
    }

    @Test
    void theEventsPageListsNewestFirstWithFiltersAndACursor() {
        String first = get("/ratelimit/dashboard/log/?size=10").bodyAsString();
        List<String> times = cells(first, "<td>(2026-[^<]+)</td>");
        assertThat(times).hasSize(10).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(times.get(0)).isEqualTo("2026-03-15T11:20:00.000Z");
        Matcher older = Pattern.compile("id=\"first-page\">Newest</a>\\s*<a href=\"([^\"]+)\" id=\"next-page\"")
                .matcher(first);
        assertThat(older.find()).isTrue();
        String second = get(older.group(1).replace("&amp;", "&")).bodyAsString();
        List<String> secondTimes = cells(second, "<td>(2026-[^<]+)</td>");
        assertThat(secondTimes).hasSize(10);
        assertThat(secondTimes.get(0)).isLessThanOrEqualTo(times.get(9));

        String blocked =
                get("/ratelimit/dashboard/log/?key=user%3A42&outcome=blocked").bodyAsString();
        assertThat(cells(blocked, "<td>(2026-[^<]+)</td>"))
                .containsExactly("2026-03-14T16:00:05.000Z", "2026-03-14T16:00:04.000Z");
        assertThat(blocked).doesNotContain("id=\"next-page\"");
        assertThat(cells(
                        get("/ratelimit/dashboard/log/?rule=api&from=2026-03-15T11:00&to=2026-03-15T12:00")
                                .bodyAsString(),
                        "<td>(2026-[^<]+)</td>"))
                .containsExactly("2026-03-15T11:20:00.000Z");
        assertThat(cells(get("/ratelimit/dashboard/log/?q=SEARCH").bodyAsString(), "<td>(2026-[^<]+)</td>"))
                .containsExactly("2026-03-12T12:00:00.000Z");
        assertThat(cells(get("/ratelimit/dashboard/log/?path=/health").bodyAsString(), "<td>(2026-[^<]+)</td>"))
                .containsExactly("2026-03-15T10:00:00.000Z");
    }

    @Test
    void theEventsPageLabelsTheWouldBeRefusalsOfShadowRulesAndFiltersThem() {
        String page = get("/ratelimit/dashboard/log/?key=ip%3A192.0.2.80").bodyAsString();
        assertThat(cells(page, "<td class=\"(outcome-[a-z]+)\">"))
                .containsExactly("outcome-shadow", "outcome-shadow", "outcome-allowed", "outcome-allowed");
        assertThat(page)
                .contains(
                        "<td class=\"outcome-shadow\">would block (shadow)</td>",
                        "<option value=\"shadow_blocked\">would block (shadow)</option>");

        String shadow = get("/ratelimit/dashboard/log/?outcome=shadow_blocked").bodyAsString();
        assertThat(cells(shadow, "<td>(2026-[^<]+)</td>"))
                .containsExactly("2026-03-15T09:00:03.000Z", "2026-03-15T09:00:02.000Z");
        assertThat(shadow)
                .contains("<option value=\"shadow_blocked\" selected>would block (shadow)</option>")
                .doesNotContain("<td class=\"outcome-blocked\">", "<td class=\"outcome-allowed\">");
        assertThat(cells(
                        get("/ratelimit/dashboard/log/?key=ip%3A192.0.2.80&outcome=allowed")
                                .bodyAsString(),
                        "<td>(2026-[^<]+)</td>"))
                .containsExactly("2026-03-15T09:00:01.000Z", "2026-03-15T09:00:00.000Z");
        assertThat(get("/ratelimit/dashboard/log/?key=ip%3A192.0.2.80&outcome=blocked")
                        .bodyAsString())
                .contains("id=\"events-empty\"");

        HttpResponse<Buffer> detail =
                htmx("/ratelimit/dashboard/log/event?key=ip%3A192.0.2.80&at=2026-03-15T09:00:03.000Z");
        assertThat(detail.bodyAsString()).contains("<dt>outcome</dt><dd>would block (shadow)</dd>", "<dd>4 / 2</dd>");
        HttpResponse<Buffer> bad = get("/ratelimit/dashboard/log/?outcome=shadow");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.bodyAsString()).contains("outcome must be any, allowed, blocked or shadow_blocked");
    }

    @Test
    void theDrillDownOfAShadowRulesClientCountsItsWouldBeRefusalsApartFromBlocked() {
        String html = htmx("/ratelimit/dashboard/offender/?key=ip%3A192.0.2.80&days=1")
                .bodyAsString();
        assertThat(html)
                .contains(
                        "<dt>Would block (shadow)</dt>",
                        "<dd>4</dd><dd>2</dd><dd>0</dd><dd>2</dd>",
                        "<dd>0.000</dd>",
                        "No blocked request in this window.",
                        "<td class=\"outcome-shadow\">would block (shadow)</td>");
    }

    @Test
    void theEventsPageRefusesABadCursorOrTimeWithAMessage() {
        HttpResponse<Buffer> cursor = get("/ratelimit/dashboard/log/?cursor=bogus");
        assertThat(cursor.statusCode()).isEqualTo(400);
        assertThat(cursor.bodyAsString()).contains("id=\"events-error\"", "invalid cursor");
        HttpResponse<Buffer> time = get("/ratelimit/dashboard/log/?from=yesterday");
        assertThat(time.statusCode()).isEqualTo(400);
        assertThat(time.bodyAsString()).contains("from must be a UTC time");
        assertThat(get("/ratelimit/dashboard/log/?outcome=maybe").statusCode()).isEqualTo(400);
    }

    @Test
    void anEventRowExpandsInPlaceWithAllItsFields() {
        String page =
                get("/ratelimit/dashboard/log/?key=user%3A42&outcome=blocked").bodyAsString();
        assertThat(page)
                .contains("hx-get=\"/ratelimit/dashboard/log/event?key=user%3A42&amp;at=2026-03-14T16:00:05.000Z\""
                        + " hx-target=\"#event-0\"");
        HttpResponse<Buffer> detail = htmx("/ratelimit/dashboard/log/event?key=user%3A42&at=2026-03-14T16:00:05.000Z");
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.bodyAsString())
                .contains(
                        "<td colspan=\"7\">",
                        "<dd>198.51.100.20</dd>",
                        "<dd>42</dd>",
                        "<dd>102 / 10</dd>",
                        "<dt>user agent</dt><dd class=\"key\">-</dd>",
                        "<dt>upstream</dt><dd>-</dd>");
        assertThat(get("/ratelimit/dashboard/log/event?key=user%3A42").statusCode())
                .isEqualTo(400);
    }

    @Test
    void aTemplateDirectoryReplacesTheShippedTemplatesOneByOne(@TempDir Path own) throws Exception {
        Path templates = Files.createDirectories(own.resolve("templates"));
        Files.writeString(templates.resolve("cards.jte"), """
                @import dev.tollgate.web.view.Summary
                @param Summary summary
                <p class="custom-cards" id="${summary.id()}">${summary.heading()}: ${summary.total()} requests</p>
                """);
        try (TestDashboard custom = TestDashboard.start(
                own,
                List.of(),
                Tollgate.builder(),
                DashboardOptions.defaults().withTemplateDirectory(templates),
                (router, tollgate) -> {})) {
            String html =
                    await(custom.asStaff("/ratelimit/dashboard/?days=3").send()).bodyAsString();
            assertThat(html)
                    .contains(
                            "<p class=\"custom-cards\" id=\"today\">Last 24 hours: 0 requests</p>",
                            "<p class=\"custom-cards\" id=\"window\">Last 3 days: 0 requests</p>",
                            "id=\"offenders-empty\"");
        }
    }

    @Test
    void aTemplateThatDoesNotCompileStopsTheStartWithItsName(@TempDir Path own) throws Exception {
        Path templates = Files.createDirectories(own.resolve("templates"));
        Files.writeString(templates.resolve("live.jte"), "@param NoSuchType live\n${live.nothing()}\n");
        Tollgate tollgate =
                Tollgate.builder().vertx(dashboard.vertx).store(dashboard.store).build();
        Throwable failure = await(Dashboard.create(
                                dashboard.vertx,
                                tollgate,
                                DashboardOptions.defaults()
                                        .withUsersFile(dashboard.users.path())
                                        .withTemplateDirectory(templates))
                        .transform(io.vertx.core.Future::succeededFuture))
                .cause();
        assertThat(failure)
                .isInstanceOf(DashboardException.class)
                .hasMessageContaining("does not compile")
                .hasMessageContaining("NoSuchType");
    }

    /** The values of the cards row {@code id}, in order. */
    private static List<String> cards(String html, String id) {
        int start = html.indexOf("<div class=\"cards\" id=\"" + id + "\">");
        assertThat(start).as("cards " + id).isNotNegative();
        String row = html.substring(start, html.indexOf("</div>\n</div>", start));
        return cells(row, "<div class=\"value\" data-field=\"[a-z-]+\">([^<]*)</div>");
    }

    private static List<String> cells(String html, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(html);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
