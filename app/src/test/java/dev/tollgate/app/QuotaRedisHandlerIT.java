package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.plugin.Settings;
import dev.tollgate.test.support.Await;
import dev.tollgate.test.support.RedisKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A quota rule on the {@code redis} backend through the HTTP handler over a real socket, the clock injected: the
 * headers, the 429 until the week ends, the cost header and its 400, and the count surviving a restart — a new
 * Tollgate on a new Vert.x instance, as a restarted node is, carries on where the old one stopped.
 */
class QuotaRedisHandlerIT {

    /** Thursday 2027-06-10, 10:00 in New York. */
    private static final Instant START = Instant.parse("2027-06-10T14:00:00Z");
    /** Monday 2027-06-14, midnight in New York (summer time, -04:00). */
    private static final Instant NEXT_WEEK = Instant.parse("2027-06-14T04:00:00Z");

    private static final String RULE = """
            {"name": "weekly", "path": "/api/*", "kind": "quota", "limit": 10, "period": "week",
             "zone": "America/New_York", "costHeader": "X-Cost", "key": "header:X-Api-Key"}""";

    private final String prefix = RedisKeys.newPrefix("tollgate-test-quota");
    private final ManualClock clock = ManualClock.at(START);
    private final List<Vertx> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        try {
            Await.close(nodes.toArray(Vertx[]::new));
        } finally {
            RedisKeys.deleteAll(prefix);
        }
    }

    /** A node: a new Vert.x instance with a Tollgate on Redis in front of an answer of {@code ok}. */
    private Node start() {
        Vertx vertx = Vertx.vertx();
        nodes.add(vertx);
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .backend("redis")
                .limiterOptions(LimiterOptions.defaults()
                        .withClock(clock)
                        .withSettings(Settings.of(
                                "limiter.redis",
                                new JsonObject()
                                        .put("url", "redis://127.0.0.1:6379")
                                        .put("keyPrefix", prefix)
                                        .put("timeout", "20s"))))
                .rules(List.of(Rule.fromJson(new JsonObject(RULE))))
                .build();
        Router router = Router.router(vertx);
        router.route().handler(tollgate.handler());
        router.route().handler(ctx -> ctx.response().end("ok"));
        HttpServer server =
                await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        return new Node(tollgate, WebClient.create(vertx), server.actualPort());
    }

    private record Node(Tollgate tollgate, WebClient client, int port) {

        HttpResponse<Buffer> get(String apiKey, String... headers) {
            HttpRequest<Buffer> request =
                    client.get(port, "127.0.0.1", "/api/reports").putHeader("X-Api-Key", apiKey);
            for (int i = 0; i < headers.length; i += 2) {
                request.putHeader(headers[i], headers[i + 1]);
            }
            return await(request.send());
        }
    }

    @Test
    void countsInRedisByCostRefusesUntilMondayInTheZoneAndKeepsTheCountAcrossARestart() {
        Node first = start();
        HttpResponse<Buffer> served = first.get("acme", "X-Cost", "4");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.getHeader("X-RateLimit-Limit")).isEqualTo("10");
        assertThat(served.getHeader("X-RateLimit-Remaining")).isEqualTo("6");
        assertThat(served.getHeader("X-RateLimit-Reset")).isEqualTo(Long.toString(NEXT_WEEK.getEpochSecond()));
        assertThat(first.get("acme").getHeader("X-RateLimit-Remaining")).isEqualTo("5");

        HttpResponse<Buffer> bad = first.get("acme", "X-Cost", "11");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.bodyAsString()).contains("X-Cost must be given once, as a whole number from 0 to 10");

        // a restart: the old node goes, a new one on its own Vert.x instance comes
        Await.close(nodes.remove(0));
        Node second = start();
        assertThat(await(second.tollgate().quotaUsage("header:x-api-key:acme")))
                .singleElement()
                .satisfies(usage -> assertThat(usage.used()).isEqualTo(5));
        assertThat(second.get("acme", "X-Cost", "5").getHeader("X-RateLimit-Remaining"))
                .isEqualTo("0");
        HttpResponse<Buffer> refused = second.get("acme", "Accept", "application/json");
        assertThat(refused.statusCode()).isEqualTo(429);
        long untilMonday = NEXT_WEEK.getEpochSecond() - START.getEpochSecond();
        assertThat(refused.getHeader("Retry-After")).isEqualTo(Long.toString(untilMonday));
        assertThat(refused.bodyAsJsonObject().getLong("retryAfter")).isEqualTo(untilMonday);
        assertThat(second.get("other").statusCode())
                .as("another key has its own quota")
                .isEqualTo(200);

        clock.set(NEXT_WEEK);
        HttpResponse<Buffer> monday = second.get("acme");
        assertThat(monday.statusCode()).isEqualTo(200);
        assertThat(monday.getHeader("X-RateLimit-Remaining")).isEqualTo("9");
    }
}
