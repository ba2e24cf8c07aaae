package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of distinct long keys against a small heap: 60,000 requests, each with its own 7,000-byte
 * {@code X-API-Key}, to a server with 256 MB of heap. The limiter keeps a digest of each long key, the memory
 * store and the limiter stay within their shares of the heap, and the server keeps answering.
 */
class HeapBoundTest {

    private static final int REQUESTS = 60_000;
    private static final int KEY_BYTES = 7_000;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    @Test
    void distinctSevenKilobyteKeysDoNotExhaustA256MegabyteHeap() throws Exception {
        HttpServer upstream = await(vertx.createHttpServer()
                .requestHandler(r -> r.response().end("ok"))
                .listen(0, "127.0.0.1"));
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, """
                http: { host: 127.0.0.1, port: 0, instances: 2 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules:
                  - { name: keys, path: "/api/*", key: "header:X-API-Key", algorithm: sliding-window-log,
                      limit: 100, window: 1h }
                events: { batchSize: 1000, flushInterval: 100ms }
                """.formatted(upstream.actualPort()));
        try (ServeProcess serve =
                ServeProcess.start(config, dir.resolve("serve.log"), "-Xmx256m").awaitListening()) {
            HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
            String padding = "k".repeat(KEY_BYTES - 10);
            Semaphore inFlight = new Semaphore(64);
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            CompletableFuture<Void> all = new CompletableFuture<>();
            for (int i = 0; i < REQUESTS; i++) {
                inFlight.acquire();
                String key = padding + String.format("%010d", i);
                client.request(new RequestOptions()
                                .setMethod(HttpMethod.GET)
                                .setHost("127.0.0.1")
                                .setPort(serve.port())
                                .setURI("/api/items")
                                .putHeader("X-API-Key", key))
                        .compose(request -> request.send()
                                .compose(response -> response.body().map(response.statusCode())))
                        .onComplete(result -> {
                            if (result.succeeded() && result.result() == 200) {
                                answered.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                            inFlight.release();
                            if (answered.get() + failed.get() == REQUESTS) {
                                all.complete(null);
                            }
                        });
            }
            all.get(10, TimeUnit.MINUTES);
            assertThat(answered.get()).as("every request answered 200").isEqualTo(REQUESTS);

            JsonObject health = get(client, serve.port(), "/health").toJsonObject();
            assertThat(health.getString("status")).isEqualTo("UP");
            JsonObject memory = health.getJsonObject("memory");
            long maxHeap = memory.getLong("maxHeap");
            assertThat(memory.getLong("limiterBytes")).isPositive().isLessThanOrEqualTo(maxHeap / 4);
            assertThat(memory.getLong("storeBytes")).isPositive().isLessThanOrEqualTo(maxHeap / 4);
            assertThat(get(client, serve.port(), "/metrics").toString())
                    .contains("tollgate_limiter_state_bytes ")
                    .contains("tollgate_store_heap_bytes ");
            assertThat(serve.isAlive()).isTrue();
            assertThat(serve.output()).doesNotContain("OutOfMemoryError");
        }
    }

    /** A GET's body, read on a Vert.x context ({@link Await#awaitOnContext} says why). */
    private io.vertx.core.buffer.Buffer get(HttpClient client, int port, String path) {
        return Await.awaitOnContext(
                vertx,
                () -> client.request(HttpMethod.GET, port, "127.0.0.1", path)
                        .compose(request -> request.send().compose(response -> response.body())));
    }
}
