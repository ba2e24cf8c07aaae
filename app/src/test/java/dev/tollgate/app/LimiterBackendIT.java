package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import dev.tollgate.test.support.RedisKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The limiter backends under hostile conditions: rules that look alike, a Redis that goes away. */
class LimiterBackendIT {

    @TempDir
    Path dir;

    private final Vertx peer = Vertx.vertx();
    private final Vertx tollgateVertx = Vertx.vertx();
    private final String prefix = RedisKeys.newPrefix("tollgate-test");
    private Server server;

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (server != null) {
                await(server.stop());
            }
        } finally {
            Await.close(tollgateVertx, peer);
        }
        RedisKeys.deleteAll(prefix);
    }

    private int start(String backend, int redisPort, String rules) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                limiter:
                  backend: %s
                  redis: { url: "redis://127.0.0.1:%d", keyPrefix: "%s" }
                %s
                """.formatted(backend, redisPort, prefix, rules));
        ConfigLoader loader = ServeCommand.loader();
        server = await(Server.start(tollgateVertx, loader.load(Optional.of(file), Map.of()), loader, false));
        return server.port();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void rulesWithEqualLimitsNeverShareABudget(String backend) throws IOException {
        int port = start(backend, 6379, """
                rules:
                  - { name: login, path: /login, key: ip, algorithm: fixed-window, limit: 2, window: 1h }
                  - { name: signup, path: /signup, key: ip, algorithm: fixed-window, limit: 2, window: 1h }
                """);
        assertThat(List.of(status(port, "/login"), status(port, "/login"), status(port, "/login")))
                .containsExactly(200, 200, 429);
        assertThat(List.of(status(port, "/signup"), status(port, "/signup"), status(port, "/signup")))
                .as("logging in spent nothing of the sign-up budget")
                .containsExactly(200, 200, 429);
    }

    @Test
    void aBadRedisSettingStopsStartUpNamedInFull() throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                limiter:
                  backend: redis
                  redis: { url: "redis://127.0.0.1:6379", keyPrefix: "%s", poolSize: 0 }
                rules:
                  - { name: api, path: /api, limit: 2, window: 1m }
                """.formatted(prefix));
        ConfigLoader loader = ServeCommand.loader();
        TollgateConfig config = loader.load(Optional.of(file), Map.of());
        assertThatThrownBy(() -> Await.await(Server.start(tollgateVertx, config, loader, false)))
                .cause()
                .isInstanceOf(SettingsException.class)
                .hasMessage("limiter.redis.poolSize: expected a whole number between 1 and 1000000, got 0");
    }

    @Test
    void anUnreachableRedisIsLoggedWhenItFailsAndWhenItAnswersNotPerRequest() throws IOException {
        int relayPort = freePort();
        TcpRelay relay = new TcpRelay(peer, relayPort, "127.0.0.1", 6379);
        await(relay.start());
        try (LogCapture log = LogCapture.start()) {
            int port = start("redis", relayPort, """
                    rules: [ { name: api, path: "/api/*", algorithm: token-bucket, limit: 1000, window: 1s } ]
                    """);
            assertThat(status(port, "/api/a")).isEqualTo(200);
            assertThat(health(port).getString("status")).isEqualTo("UP");

            await(relay.stop());
            for (int i = 0; i < 20; i++) {
                assertThat(status(port, "/api/a")).as("let through by failOpen").isEqualTo(200);
            }
            assertThat(log.lines(Level.WARNING, "limiter backend"))
                    .as("one line, not one per request")
                    .singleElement()
                    .asString()
                    .startsWith("the limiter backend is failing (rule 'api': ");
            JsonObject health = health(port);
            assertThat(health.getString("status")).isEqualTo("DEGRADED");
            assertThat(health.getJsonArray("reasons").getString(0))
                    .startsWith("the limiter backend is failing since")
                    .contains("request(s) decided by limiter.failOpen");

            await(relay.start());
            Await.until(
                    () -> status(port, "/api/a") == 200
                            && !log.lines(Level.INFO, "the limiter backend answers again")
                                    .isEmpty(),
                    "the backend answering again");
            assertThat(log.lines(Level.INFO, "the limiter backend answers again"))
                    .singleElement()
                    .asString()
                    .containsPattern("; [0-9]+ request\\(s\\) were let through by limiter.failOpen meanwhile");
            assertThat(Integer.parseInt(log.lines(Level.INFO, "the limiter backend answers again")
                            .get(0)
                            .replaceAll(".*s; ([0-9]+) request.*", "$1")))
                    .isGreaterThanOrEqualTo(20);
            assertThat(log.lines(Level.WARNING, "limiter backend")).hasSize(1);
            assertThat(health(port).getString("status")).isEqualTo("UP");
        } finally {
            relay.stop();
        }
    }

    private int status(int port, String path) {
        return RawHttp.get(port, path).status();
    }

    private JsonObject health(int port) {
        return new JsonObject(RawHttp.get(port, "/health").body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
