package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.monitor.SampleLog;
import dev.tollgate.monitor.SharedData;
import dev.tollgate.test.support.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitorCommandTest {

    @Test
    void theSampleRaisesTwoAlertsAndTwoRecoveries() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"monitor", SampleLog.path().toString(), "--threshold", "10", "--progress", "never"},
                new PrintWriter(out),
                new PrintWriter(err),
                Map.of());
        assertThat(code).as(err.toString()).isZero();
        Matcher alerts = Pattern.compile("High traffic generated an alert - hits = \\d+, triggered at (\\d+)")
                .matcher(out.toString());
        Matcher recoveries =
                Pattern.compile("High traffic alert recovered at (\\d+)").matcher(out.toString());
        StringBuilder seen = new StringBuilder();
        while (alerts.find()) {
            seen.append("alert ").append(alerts.group(1)).append(' ');
        }
        while (recoveries.find()) {
            seen.append("recovered ").append(recoveries.group(1)).append(' ');
        }
        assertThat(seen.toString().trim())
                .isEqualTo("alert 1549573956 alert 1549574163 recovered 1549574043 recovered 1549574302");
    }

    @Test
    void replayingTheSampleThroughARuleReportsWhoWouldBeBlocked(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path config = dir.resolve("replay.yaml");
        java.nio.file.Files.writeString(config, """
                rules: [ { name: reports, path: "/report/*", algorithm: fixed-window, limit: 10, window: 1m } ]
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {
                    "monitor", SampleLog.path().toString(), "--progress", "never", "--rules", config.toString()
                },
                new PrintWriter(out),
                new PrintWriter(err),
                Map.of());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("replay    4,830 requests through 1 rule(s), 933 events recorded")
                .containsPattern("rule reports: [0-9,]+ of 933 requests would be blocked")
                .containsPattern("ip:10\\.0\\.0\\.[0-9] +[0-9,]+");
    }

    @Test
    void trafficAlertsAndRecoveriesGoThroughTheConfiguredChannels(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            java.util.List<io.vertx.core.json.JsonObject> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            io.vertx.core.http.HttpServer hook = await(vertx.createHttpServer()
                    .requestHandler(request -> request.body().onSuccess(body -> {
                        received.add(body.toJsonObject());
                        request.response().setStatusCode(204).end();
                    }))
                    .listen(0, "127.0.0.1"));
            java.nio.file.Path config = dir.resolve("alerts.yaml");
            java.nio.file.Files.writeString(
                    config,
                    "alerts: { channels: { webhook: { url: \"http://127.0.0.1:" + hook.actualPort()
                            + "/hook\" } } }\n");
            StringWriter err = new StringWriter();
            int code = Main.run(
                    new String[] {
                        "monitor", SampleLog.path().toString(), "--progress", "never", "--config", config.toString()
                    },
                    new PrintWriter(new StringWriter()),
                    new PrintWriter(err),
                    Map.of());
            assertThat(code).as(err.toString()).isZero();
            assertThat(received)
                    .extracting(json -> json.getString("type") + "@" + json.getLong("time"))
                    .containsExactly(
                            "traffic-high@1549573956", "traffic-recovered@1549574043",
                            "traffic-high@1549574163", "traffic-recovered@1549574302");
            assertThat(received.get(0).getString("message")).startsWith("High traffic generated an alert - hits = ");
        } finally {
            Await.close(vertx);
        }
    }

    @Test
    void serveShowsTheDashboardWhileTheReplayRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        java.nio.file.Path config = dir.resolve("replay.yaml");
        java.nio.file.Files.writeString(config, """
                http: { host: 127.0.0.1, port: %d }
                rules: [ { name: reports, path: "/report/*", algorithm: fixed-window, limit: 10, window: 1m } ]
                """.formatted(port));
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
        java.io.InputStream stdin = System.in;
        System.setIn(new java.io.PipedInputStream(feed));
        StringWriter out = new StringWriter();
        java.util.concurrent.CompletableFuture<Integer> run =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> Main.run(
                        new String[] {"monitor", "--progress", "never", "--rules", config.toString(), "--serve"},
                        new PrintWriter(out),
                        new PrintWriter(new StringWriter()),
                        Map.of()));
        try {
            feed.write(java.nio.file.Files.readAllBytes(SampleLog.path()));
            feed.flush();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.URI summary = java.net.URI.create("http://127.0.0.1:" + port + "/ratelimit/api/summary");
            java.util.concurrent.atomic.AtomicInteger status = new java.util.concurrent.atomic.AtomicInteger();
            Await.until(
                    () -> {
                        try {
                            status.set(http.send(
                                            java.net.http.HttpRequest.newBuilder(summary)
                                                    .build(),
                                            java.net.http.HttpResponse.BodyHandlers.discarding())
                                    .statusCode());
                            return true;
                        } catch (java.io.IOException notYet) {
                            return false;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    },
                    "the dashboard to answer");
            assertThat(status).as("the dashboard answers, and only staff").hasValue(403);
        } finally {
            feed.close();
            assertThat(run.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
            System.setIn(stdin);
        }
        assertThat(out.toString())
                .contains("dashboard on http://127.0.0.1:" + port + "/ratelimit/dashboard/")
                .contains("rule reports: 618 of 933 requests would be blocked");
    }

    @Test
    void maxJumpDecidesWhetherALineFarAheadWaitsForConfirmation(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path log = dir.resolve("gap.csv");
        java.nio.file.Files.writeString(log, """
                "remotehost","rfc931","authuser","date","request","status","bytes"
                "10.0.0.1","-","apache",1000,"GET /api/a HTTP/1.0",200,10
                "10.0.0.1","-","apache",1000,"GET /api/a HTTP/1.0",200,10
                "10.0.0.1","-","apache",1000,"GET /api/a HTTP/1.0",200,10
                "10.0.0.1","-","apache",1000,"GET /api/a HTTP/1.0",200,10
                "10.0.0.1","-","apache",8200,"GET /api/a HTTP/1.0",404,10
                """);
        StringWriter held = new StringWriter();
        StringWriter heldErr = new StringWriter();
        StringWriter read = new StringWriter();

        int heldCode = Main.run(
                new String[] {"monitor", log.toString(), "--progress", "never"},
                new PrintWriter(held),
                new PrintWriter(heldErr),
                Map.of());
        int readCode = Main.run(
                new String[] {"monitor", log.toString(), "--progress", "never", "--max-jump", "3h"},
                new PrintWriter(read),
                new PrintWriter(new StringWriter()),
                Map.of());

        assertThat(heldCode).isZero();
        assertThat(readCode).isZero();
        assertThat(held.toString()).contains("6 lines: 4 requests, 1 bad, 0 late");
        assertThat(heldErr.toString()).contains("line 6 skipped, out of range: its time 8200");
        assertThat(read.toString()).contains("6 lines: 5 requests, 0 bad, 0 late", "404 1");
    }

    @Test
    void aBadMaxJumpNamesTheFlag() {
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"monitor", "--max-jump", "0"},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--max-jump must be whole seconds, at least 1s");
    }

    @Test
    void serveWithoutRulesIsRefused() {
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"monitor", "--serve"},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--serve shows a replay: it needs --rules CONFIG");
    }

    @Test
    void aFileThatCannotBeOpenedExitsWithTwoAndOneLine() {
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"monitor", "/nonexistent/access.log"},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().count()).isEqualTo(1);
        assertThat(err.toString()).contains("/nonexistent/access.log");
    }

    @Test
    void aBadFlagValueNamesTheFlag() {
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"monitor", "--threshold", "lots"},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("tollgate monitor: ").contains("threshold");
    }

    @Test
    void aWindowAndAThresholdMoveTheAlerts() {
        Run run = monitor(SampleLog.path().toString(), "--window", "1m", "--threshold", "12", "--progress", "never");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "High traffic generated an alert - hits = 724, triggered at 1549573939",
                        "High traffic alert recovered at 1549574003",
                        "High traffic generated an alert - hits = 721, triggered at 1549574150",
                        "High traffic alert recovered at 1549574256");
    }

    @Test
    void aWindowAndAThresholdGiveTheDocumentedAlertsOnTheSharedSample() {
        Run run = monitor(
                SharedData.sampleCsv().toString(), "--window", "1m", "--threshold", "12", "--progress", "never");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "High traffic generated an alert - hits = 723, triggered at 1549573939",
                        "High traffic alert recovered at 1549574004",
                        "High traffic generated an alert - hits = 731, triggered at 1549574151",
                        "High traffic alert recovered at 1549574256");
    }

    @Test
    void aDurationIsSecondsAUnitOrASum() {
        String sample = SampleLog.path().toString();
        String minute = withoutReadTime(monitor(sample, "--chunksize", "1m", "--progress", "never"));

        assertThat(minute).contains("[1549573859 .. 1549573919]");
        assertThat(withoutReadTime(monitor(sample, "--chunksize", "60", "--progress", "never")))
                .isEqualTo(minute);
        assertThat(withoutReadTime(monitor(sample, "--chunksize", "60000ms", "--progress", "never")))
                .isEqualTo(minute);
        assertThat(withoutReadTime(monitor(sample, "--chunksize", "0m60s", "--progress", "never")))
                .isEqualTo(minute);
        assertThat(monitor(sample, "--lateness", "0", "--progress", "never").out())
                .contains("4,831 lines: 4,830 requests, 0 bad, 2,200 late");
    }

    @Test
    void progressTakesItsChoicesInAnyCaseAndOnOrOff() {
        String sample = SampleLog.path().toString();

        assertThat(monitor(sample, "--progress", "ALWAYS").err()).contains("100%");
        assertThat(monitor(sample, "--progress", "on").err()).contains("100%");
        assertThat(monitor(sample, "--progress", "off").err()).isEmpty();
        assertThat(monitor(sample, "--progress", "Never").err()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--threshold | high | --threshold takes a number; got 'high'",
                "--threshold | ' ' | --threshold needs a value",
                "--threshold | -1 | --threshold must be a number of requests per second, 0 or more; got -1.0",
                "--top | x | --top takes a whole number; got 'x'",
                "--top | 0 | --top must be at least 1; got 0",
                "--threads | many | --threads takes a whole number; got 'many'",
                "--threads | 0 | --threads must be from 1 to 256; got 0",
                "--threads | 257 | --threads must be from 1 to 256; got 257",
                "--progress | sometimes | --progress takes auto, always or never; got 'sometimes'",
                "--window | 2 minutes | --window: invalid duration '2 minutes': '2' has no unit; "
                        + "expected seconds (30) or a number with a unit (30s, 2m, 1h, 1d)",
                "--window | 1m30 | --window: invalid duration '1m30': '30' has no unit; "
                        + "expected seconds (30) or a number with a unit (30s, 2m, 1h, 1d)",
                "--max-jump | soon | --max-jump: invalid duration 'soon': "
                        + "expected seconds (30) or a number with a unit (30s, 2m, 1h, 1d)",
                "--lateness | -5s | --lateness: invalid duration '-5s': a duration must not be negative",
                "--window | 500ms | --window must be whole seconds, at least 1s; got 500ms",
                "--window | 0 | --window must be whole seconds, at least 1s; got 0ms",
                "--window | 7d | --window plus --lateness must not exceed 7 days",
                "--format | ' ' | --format needs a value",
                "--output | '' | --output needs a value"
            })
    void aBadValueIsOneLineNamingTheFlag(String flag, String value, String message) {
        Run run = monitor(SampleLog.path().toString(), flag, value);

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("tollgate monitor: " + message + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void theFirstBadValueIsTheOneReported() {
        Run run = monitor("--top", "x", "--threshold", "high", "--window", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("tollgate monitor: --top takes a whole number; got 'x'" + System.lineSeparator());
    }

    @Test
    void aMissingOrRepeatedValueIsAUsageError() {
        String sample = SampleLog.path().toString();
        String help =
                System.lineSeparator() + "Try 'tollgate monitor --help' for more information." + System.lineSeparator();

        assertThat(monitor(sample, "--window"))
                .isEqualTo(
                        new Run(2, "", "tollgate: Missing required parameter for option '--window' (DURATION)" + help));
        assertThat(monitor(sample, "--window", "--json"))
                .isEqualTo(
                        new Run(2, "", "tollgate: Expected parameter for option '--window' but found '--json'" + help));
        assertThat(monitor(sample, "--top", "3", "--top", "4"))
                .isEqualTo(new Run(2, "", "tollgate: option '--top' (N) should be specified only once" + help));
    }

    private record Run(int code, String out, String err) {}

    private static Run monitor(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] line = new String[args.length + 1];
        line[0] = "monitor";
        System.arraycopy(args, 0, line, 1, args.length);
        int code = Main.run(line, new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Run(code, out.toString(), err.toString());
    }

    private static String withoutReadTime(Run run) {
        assertThat(run.code()).as(run.err()).isZero();
        return run.out().replaceAll("read in [0-9.]+ s", "read in _ s");
    }

    @Test
    void htmlWritesTheReportNextToTheTextReport(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path page = dir.resolve("report.html");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {
                    "monitor",
                    SampleLog.path().toString(),
                    "--threshold",
                    "10",
                    "--progress",
                    "never",
                    "--html",
                    page.toString()
                },
                new PrintWriter(out),
                new PrintWriter(err),
                Map.of());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("summary   4,831 lines: 4,830 requests, 0 bad, 0 late");
        assertThat(java.nio.file.Files.readString(page))
                .startsWith("<!DOCTYPE html>")
                .contains("<tr><th>requests</th><td>4830</td></tr>")
                .contains("data-points=\"480\"");
    }

    @Test
    void htmlIntoADirectoryThatDoesNotExistIsRefusedBeforeReading(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.nio.file.Path page = dir.resolve("missing/report.html");
        int code = Main.run(
                new String[] {"monitor", SampleLog.path().toString(), "--html", page.toString()},
                new PrintWriter(out),
                new PrintWriter(err),
                Map.of());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("tollgate monitor: cannot write the --html file '" + page + "': no such directory\n");
        assertThat(out.toString()).isEmpty();
    }
}
