package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.TollgateMetrics;
import dev.tollgate.test.support.Await;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code serve}, built as the command builds it, scraped over HTTP after traffic through the gateway, its
 * {@code /metrics} read by the Prometheus client's own text-format parser (Debian's {@code python3-prometheus-client},
 * which {@code scripts/test.sh} installs).
 */
class MetricsScrapeIT {

    /** Reads the exposition on stdin; writes each family's name, type and samples as JSON. */
    private static final String PARSER = """
            import json, math, sys
            from prometheus_client.parser import text_string_to_metric_families
            def value(v):
                # JSON has no infinity nor NaN: those go as the strings Java's Double.parseDouble reads
                return v if math.isfinite(v) else {"inf": "Infinity", "-inf": "-Infinity"}.get(str(v), "NaN")
            families = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                families.append({"name": family.name, "type": family.type, "samples": [
                    {"name": s.name, "labels": s.labels, "value": value(s.value)} for s in family.samples]})
            json.dump(families, sys.stdout)
            """;

    /** A series named in a table row of docs/metrics.md: {@code | `name` | …}. */
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `([a-z_]+)(?:\\{[^`]*})?` \\|", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private Vertx tollgateVertx;
    private Vertx peer;
    private WebClient client;
    private HttpServer upstream;
    private Server server;

    @BeforeEach
    void setUp() {
        peer = Vertx.vertx();
        client = WebClient.create(peer);
        upstream = await(peer.createHttpServer()
                .requestHandler(request -> request.response().end("upstream saw " + request.uri()))
                .listen(0, "127.0.0.1"));
    }

    @AfterEach
    void tearDown() {
        try {
            if (server != null) {
                await(server.stop());
            }
        } finally {
            Await.close(tollgateVertx, peer);
        }
    }

    @Test
    void aScrapeAfterTrafficHasEveryDocumentedSeriesWithTheCountsOfWhatWasSent() throws IOException {
        serveWithMetrics("""
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules:
                  - { name: api, path: "/api/*", algorithm: fixed-window, limit: 3, window: 1h }
                  - { name: guard, path: "/guarded/*", kind: adaptive, algorithm: aimd, latencyThreshold: 1s }
                  - { name: paced, path: "/paced/*", algorithm: token-bucket, limit: 5, window: 1s, onExceed: delay,
                      maxDelay: 2s }
                events: { batchSize: 1, flushInterval: 50ms }
                accessLog: { path: access.log }
                """.formatted(upstream.actualPort()));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(get("/api/items/" + i).statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
        Await.until(() -> server.tollgate().metrics().recordedEvents() == 5, "five events recorded");

        scrapedOnce(
                scrape -> sum(scrape, "vertx_http_server_requests_total", Map.of("code", "4xx")) == 2
                        && sum(scrape, "vertx_http_client_requests_total", Map.of()) == 3,
                "the five requests counted by the HTTP server and the three sent upstream by the client");

        HttpResponse<Buffer> scrape = scrape();
        assertThat(scrape.getHeader("Content-Type")).isEqualTo(TollgateMetrics.CONTENT_TYPE);
        List<Family> scraped = parse(scrape.bodyAsString());
        Set<String> samples = new LinkedHashSet<>();
        scraped.forEach(f -> f.samples().forEach(s -> samples.add(s.name())));

        assertThat(documentedSeries().stream()
                        .filter(name -> !samples.contains(name) && !samples.contains(name + "_count"))
                        .toList())
                .as("series docs/metrics.md names (a histogram or summary by its _count) missing from the scrape")
                .isEmpty();

        assertThat(sum(scraped, "tollgate_decisions_total", Map.of("rule", "api", "outcome", "allowed")))
                .isEqualTo(3);
        assertThat(sum(scraped, "tollgate_decisions_total", Map.of("rule", "api", "outcome", "blocked")))
                .isEqualTo(2);
        assertThat(sum(scraped, "tollgate_events_recorded_total", Map.of())).isEqualTo(5);
        assertThat(sum(scraped, "tollgate_adaptive_limit", Map.of("rule", "guard")))
                .as("an adaptive rule nothing reached stays at its initial limit")
                .isEqualTo(20);
        assertThat(sum(scraped, "tollgate_slots_held", Map.of("rule", "guard")))
                .as("no request in flight under the adaptive rule")
                .isZero();
        assertThat(sum(scraped, "tollgate_delayed_requests", Map.of("rule", "paced")))
                .as("a delaying rule nothing reached has no request waiting")
                .isZero();
        assertThat(sum(scraped, "tollgate_events_dropped_total", Map.of())).isZero();
        assertThat(sum(scraped, "tollgate_gateway_errors_total", Map.of())).isZero();
        assertThat(family(scraped, "tollgate_decisions").type()).isEqualTo("counter");
        assertThat(family(scraped, "tollgate_events_buffered").type()).isEqualTo("gauge");
        assertThat(family(scraped, "tollgate_store_append_seconds").type()).isEqualTo("histogram");
        assertThat(family(scraped, "tollgate_store_append_seconds").bounds())
                .as("the append latency keeps its buckets")
                .containsExactly(
                        "0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
                        "+Inf");
        assertThat(sum(scraped, "tollgate_store_append_seconds_count", Map.of()))
                .isEqualTo(5);

        // the HTTP server by status class, with a latency histogram; the scrapes themselves are 2xx too
        assertThat(sum(scraped, "vertx_http_server_requests_total", Map.of("code", "2xx")))
                .isGreaterThanOrEqualTo(3);
        assertThat(sum(scraped, "vertx_http_server_requests_total", Map.of("code", "4xx")))
                .isEqualTo(2);
        assertThat(family(scraped, "vertx_http_server_response_time_seconds").type())
                .isEqualTo("histogram");
        assertThat(sum(
                        scraped,
                        "vertx_http_server_response_time_seconds_bucket",
                        Map.of("code", "4xx", "method", "GET", "le", "+Inf")))
                .isEqualTo(2);
        assertThat(sum(
                        scraped,
                        "vertx_http_server_response_time_seconds_bucket",
                        Map.of("code", "2xx", "method", "GET", "le", "10.0")))
                .isGreaterThanOrEqualTo(3);
        assertThat(labelValues(scraped, "vertx_http_server_requests_total", "code"))
                .as("status classes, not codes")
                .containsOnly("2xx", "4xx");
        assertThat(labels(scraped, "vertx_http_server_requests_total"))
                .as("no label a client chooses")
                .doesNotContain("path", "remote", "local");

        // the upstream client
        assertThat(sum(scraped, "vertx_http_client_response_time_seconds_count", Map.of("code", "2xx")))
                .isEqualTo(3);
        assertThat(family(scraped, "vertx_http_client_response_time_seconds").type())
                .isEqualTo("histogram");

        // the JVM
        assertThat(sum(scraped, "jvm_memory_used_bytes", Map.of("area", "heap")))
                .isPositive();
        assertThat(sum(scraped, "jvm_threads_live_threads", Map.of())).isPositive();
        assertThat(sum(scraped, "jvm_classes_loaded_classes", Map.of())).isPositive();
        assertThat(sum(scraped, "system_cpu_count", Map.of())).isPositive();
        assertThat(samples).contains("jvm_gc_memory_allocated_bytes_total");
    }

    @Test
    void withoutVertxMetricsTollgatesAndTheJvmsSeriesRemain() throws IOException {
        serveWithMetrics("""
                http: { host: 127.0.0.1, port: 0 }
                management: { vertxMetrics: false }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules:
                  - { name: api, path: "/api/*", algorithm: fixed-window, limit: 1, window: 1h }
                """.formatted(upstream.actualPort()));
        assertThat(get("/api/a").statusCode()).isEqualTo(200);
        assertThat(get("/api/a").statusCode()).isEqualTo(429);

        List<Family> scraped = parse(scrape().bodyAsString());

        assertThat(sum(scraped, "tollgate_decisions_total", Map.of("rule", "api", "outcome", "allowed")))
                .isEqualTo(1);
        assertThat(sum(scraped, "tollgate_decisions_total", Map.of("rule", "api", "outcome", "blocked")))
                .isEqualTo(1);
        assertThat(sum(scraped, "jvm_memory_used_bytes", Map.of("area", "heap")))
                .isPositive();
        assertThat(scraped).extracting(Family::name).noneMatch(name -> name.startsWith("vertx_"));
    }

    @Test
    void aMethodAClientMakesUpIsCountedAsOtherNotByItsName() throws IOException {
        serveWithMetrics("""
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                """.formatted(upstream.actualPort()));

        for (String method : List.of("BREW", "XYZZY")) {
            await(client.request(HttpMethod.valueOf(method), server.port(), "127.0.0.1", "/anything")
                    .send());
        }

        List<Family> families = scrapedOnce(
                scrape -> sum(scrape, "vertx_http_server_requests_total", Map.of("method", "OTHER")) == 2,
                "the two requests counted under method OTHER");
        assertThat(labelValues(families, "vertx_http_server_requests_total", "method"))
                .doesNotContain("BREW", "XYZZY");
        assertThat(labelValues(families, "vertx_http_client_requests_total", "method"))
                .doesNotContain("BREW", "XYZZY");
    }

    @Test
    void anUpstreamThatIsDownIsCountedAsAGatewayErrorAndA5xx() throws IOException {
        HttpServer gone = await(peer.createHttpServer().requestHandler(r -> {}).listen(0, "127.0.0.1"));
        int closedPort = gone.actualPort();
        await(gone.close());
        serveWithMetrics("""
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                """.formatted(closedPort));

        assertThat(get("/anything").statusCode()).isEqualTo(502);

        List<Family> families = scrapedOnce(
                scrape -> sum(scrape, "vertx_http_server_requests_total", Map.of("code", "5xx")) == 1,
                "the 502 counted by the HTTP server");
        assertThat(sum(families, "tollgate_gateway_errors_total", Map.of("kind", "error")))
                .isEqualTo(1);
        assertThat(sum(families, "tollgate_gateway_errors_total", Map.of("kind", "timeout")))
                .isZero();
    }

    /** Starts serve on {@code yaml} as {@code serve} builds it: Vert.x and Tollgate report into one registry. */
    private void serveWithMetrics(String yaml) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, yaml);
        ConfigLoader loader = ServeCommand.loader();
        TollgateConfig config = loader.load(Optional.of(file), Map.of());
        PrometheusMeterRegistry registry = ServeMetrics.registry();
        tollgateVertx = ServeMetrics.vertx(Server.vertxOptions(config), registry, config.vertxMetrics())
                .build();
        server = await(Server.start(tollgateVertx, registry, config, loader, false));
    }

    /**
     * Scrapes until {@code counted} holds of the parsed scrape and gives that scrape: a response is counted as it
     * ends, which may be just after the client has it.
     */
    private List<Family> scrapedOnce(Predicate<List<Family>> counted, String what) {
        List<Family> families = new ArrayList<>();
        Await.until(
                () -> {
                    families.clear();
                    families.addAll(parse(scrape().bodyAsString()));
                    return counted.test(families);
                },
                what);
        return families;
    }

    private HttpResponse<Buffer> get(String path) {
        return await(client.get(server.port(), "127.0.0.1", path).send());
    }

    private HttpResponse<Buffer> scrape() {
        HttpResponse<Buffer> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    /** The series names in docs/metrics.md's tables. */
    private static Set<String> documentedSeries() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = DOCUMENTED.matcher(doc);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        assertThat(names).as("series named in docs/metrics.md").hasSizeGreaterThan(20);
        return names;
    }

    private record Sample(String name, Map<String, String> labels, double value) {}

    private record Family(String name, String type, List<Sample> samples) {

        /** The {@code le} labels of a histogram's buckets, in the order scraped. */
        List<String> bounds() {
            return samples.stream()
                    .filter(s -> s.name().endsWith("_bucket"))
                    .map(s -> s.labels().get("le"))
                    .distinct()
                    .toList();
        }
    }

    private static Family family(List<Family> families, String name) {
        return families.stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no family " + name));
    }

    /** The sum of the samples called {@code sample} whose labels include {@code labels}. */
    private static double sum(List<Family> families, String sample, Map<String, String> labels) {
        return families.stream()
                .flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(sample))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }

    private static Set<String> labelValues(List<Family> families, String sample, String label) {
        Set<String> values = new LinkedHashSet<>();
        families.stream()
                .flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(sample))
                .forEach(s -> values.add(s.labels().get(label)));
        return values;
    }

    private static Set<String> labels(List<Family> families, String sample) {
        Set<String> names = new LinkedHashSet<>();
        families.stream()
                .flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(sample))
                .forEach(s -> names.addAll(s.labels().keySet()));
        return names;
    }

    /** {@code exposition} read by the Prometheus client's parser. */
    private static List<Family> parse(String exposition) {
        try {
            Process python = new ProcessBuilder("/usr/bin/python3", "-c", PARSER)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (OutputStream in = python.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            }
            String json;
            try (InputStream out = python.getInputStream()) {
                json = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
                throw new AssertionError("the Prometheus parser refused the scrape:\n" + exposition);
            }
            List<Family> families = new ArrayList<>();
            for (Object f : new JsonArray(json)) {
                JsonObject family = (JsonObject) f;
                List<Sample> samples = new ArrayList<>();
                for (Object s : family.getJsonArray("samples")) {
                    JsonObject sample = (JsonObject) s;
                    Map<String, String> labels = new HashMap<>();
                    sample.getJsonObject("labels").forEach(e -> labels.put(e.getKey(), (String) e.getValue()));
                    Object value = sample.getValue("value");
                    samples.add(new Sample(
                            sample.getString("name"),
                            labels,
                            value instanceof Number number
                                    ? number.doubleValue()
                                    : Double.parseDouble((String) value)));
                }
                families.add(new Family(family.getString("name"), family.getString("type"), samples));
            }
            return families;
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run /usr/bin/python3 with prometheus_client (python3-prometheus-client)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
