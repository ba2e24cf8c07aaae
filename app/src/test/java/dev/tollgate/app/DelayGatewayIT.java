package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import dev.tollgate.test.support.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule with {@code onExceed: delay} on the {@code redis} backend in front of an upstream, over real sockets, real
 * time and Vert.x timers: of a burst of requests, the burst goes through at once, the next ones reach the upstream
 * only once their permits are due, and the rest are refused.
 */
class DelayGatewayIT {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final Vertx peer = Vertx.vertx();
    private final Vertx node = Vertx.vertx();
    private final String prefix = RedisKeys.newPrefix("tollgate-test");
    private Server server;
    /** When each request reached the upstream, in {@link System#nanoTime()}. */
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (server != null) {
                await(server.stop());
            }
        } finally {
            Await.close(node, peer);
        }
        RedisKeys.deleteAll(prefix);
    }

    @Test
    void aBurstGoesThroughAtOnceTheNextAfterTheirDelaysAndTheRestAreRefused() throws IOException {
        HttpServer upstream = await(peer.createHttpServer()
                .requestHandler(request -> {
                    arrivals.add(System.nanoTime());
                    request.response().end("served");
                })
                .listen(0, "127.0.0.1"));
        Path file = dir.resolve("tollgate.yaml");
        // three at once, then one every 2 s; a request may wait 4 s: two wait, the rest are refused
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                limiter:
                  backend: redis
                  redis: { url: "redis://127.0.0.1:6379", keyPrefix: "%s" }
                rules:
                  - { name: api, path: "/api/*", algorithm: token-bucket, limit: 1, window: 2s, burst: 3,
                      onExceed: delay, maxDelay: 4s, maxQueued: 10 }
                """.formatted(upstream.actualPort(), prefix));
        ConfigLoader loader = ServeCommand.loader();
        server = await(Server.start(node, loader.load(Optional.of(file), Map.of()), loader, false));

        WebClient client = WebClient.create(peer, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(20));
        long start = System.nanoTime();
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(client.get(server.port(), "127.0.0.1", "/api/" + i).send());
        }
        List<HttpResponse<Buffer>> answers = new ArrayList<>();
        for (Future<HttpResponse<Buffer>> response : sent) {
            answers.add(await(response));
        }

        assertThat(answers.stream().filter(a -> a.statusCode() == 200).count()).isEqualTo(5);
        List<HttpResponse<Buffer>> refused =
                answers.stream().filter(a -> a.statusCode() == 429).toList();
        assertThat(refused).hasSize(3);
        // the third permit past the burst would be due 6 s after the first request: 6 s, rounded up, or less
        assertThat(refused)
                .allSatisfy(a ->
                        assertThat(Long.parseLong(a.getHeader("Retry-After"))).isBetween(1L, 6L));
        answers.stream().filter(a -> a.statusCode() == 200).forEach(a -> {
            assertThat(a.bodyAsString()).isEqualTo("served");
            assertThat(a.getHeader("X-RateLimit-Limit")).isEqualTo("3");
        });

        List<Long> sinceStart = arrivals.stream().map(at -> at - start).sorted().toList();
        assertThat(sinceStart).hasSize(5);
        // a permit past the burst is due 2 s, then 4 s, after the first decision, itself after the start: no timer
        // lets its request through sooner
        assertThat(sinceStart.get(3)).as("the first delayed request").isGreaterThanOrEqualTo(2 * SECOND);
        assertThat(sinceStart.get(4)).as("the second delayed request").isGreaterThanOrEqualTo(4 * SECOND);
    }
}
