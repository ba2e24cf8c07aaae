package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adaptive rule in the {@code serve} gateway, from YAML, over real sockets: the upstream's 5xx answers bring the
 * limit down, one response at a time, and its good answers bring it back up; {@code X-RateLimit-Limit} says where it
 * stands. The latency threshold is far above any response here, so that only the statuses decide.
 */
class AdaptiveServeTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ServeUnderTest serve = new ServeUnderTest();

    private final AtomicInteger status = new AtomicInteger(500);
    private Server server;

    private void start() throws IOException {
        HttpServer upstream = serve.upstream(
                request -> request.response().setStatusCode(status.get()).end("answered"));
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                gateway: { upstream: "http://127.0.0.1:%d" }
                rules:
                  - name: upstream
                    path: "/api/*"
                    kind: adaptive
                    algorithm: aimd
                    minLimit: 1
                    maxLimit: 10
                    initialLimit: 4
                    latencyThreshold: 10s
                """.formatted(upstream.actualPort()));
        server = serve.start(file);
    }

    /**
     * Waits until the gateway has given the rule's slot back, and so sampled the limit: the client may have the whole
     * response, and send the next request on another connection and event loop, a moment before that.
     */
    private void awaitSlotsBack() {
        Await.until(
                () -> server.tollgate()
                                .metrics()
                                .registry()
                                .get("tollgate.slots.held")
                                .tag("rule", "upstream")
                                .gauge()
                                .value()
                        == 0,
                "the rule's slot given back");
    }

    @Test
    void failuresOfTheUpstreamBringTheLimitDownAndGoodAnswersBringItBack() throws IOException {
        start();
        WebClient client = WebClient.create(serve.peer());
        List<String> limits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            HttpResponse<Buffer> response =
                    await(client.get(server.port(), "127.0.0.1", "/api/" + i).send());
            assertThat(response.statusCode()).isEqualTo(500);
            limits.add(response.getHeader("X-RateLimit-Limit"));
            awaitSlotsBack();
        }
        // 4 × 0.9 per failed answer: 3.6, 3.24, 2.92, 2.62, 2.36, 2.13, 1.91
        assertThat(limits).containsExactly("4", "3", "3", "2", "2", "2", "2", "1");
        assertThat(server.tollgate().adaptiveLimit("upstream")).hasValue(1);

        status.set(200);
        for (int i = 0; i < 3; i++) {
            assertThat(await(client.get(server.port(), "127.0.0.1", "/api/ok").send())
                            .statusCode())
                    .isEqualTo(200);
            awaitSlotsBack();
        }
        // 1.72 + 1 = 2.72, + 1 = 3.72 while one request in flight is half the limit (1, then 2); at 3 it is less
        // than half: the limit is not in use and does not grow
        assertThat(server.tollgate().adaptiveLimit("upstream")).hasValue(3);
        assertThat(await(client.get(server.port(), "127.0.0.1", "/other").send())
                        .getHeader("X-RateLimit-Limit"))
                .as("a path the rule does not cover")
                .isNull();
    }
}
