package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.TrafficSummary;
import dev.tollgate.plugin.Settings;
import dev.tollgate.test.support.Await;
import dev.tollgate.test.support.RedisKeys;
import dev.tollgate.web.UsersFile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code serve --cluster} processes on loopback, limits in Redis, events in one PostgreSQL
 * database: one global limit, one shared log, live counters of the whole cluster on each node, and
 * a node that survives the other's end.
 */
class ClusterIT {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final WebClient client = WebClient.create(vertx);
    private final String database =
            "tollgate_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String prefix = "tollgate-cluster-test-" + UUID.randomUUID();
    private final List<Process> nodes = new ArrayList<>();

    @BeforeEach
    void createDatabase() {
        PostgresAdmin.run(vertx, "CREATE DATABASE " + database);
    }

    @AfterEach
    void tearDown() {
        try {
            nodes.forEach(Process::destroyForcibly);
            for (Process node : nodes) {
                try {
                    node.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            PostgresAdmin.run(vertx, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            RedisKeys.deleteAll(prefix);
        } finally {
            Await.close(vertx);
        }
    }

    @Test
    void twoNodesEnforceOneLimitShareOneLogAndSurviveEachOther() throws Exception {
        int hazelcastA = freePort();
        int hazelcastB = freePort();
        int httpA = freePort();
        int httpB = freePort();
        String members = "[\"127.0.0.1:" + hazelcastA + "\", \"127.0.0.1:" + hazelcastB + "\"]";
        start("a", httpA, hazelcastA, members);
        Process b = start("b", httpB, hazelcastB, members);

        eventually(() -> health(httpA) != null && health(httpB) != null, "both nodes up");
        // the cluster has formed when a request to B shows in A's live counters
        eventually(
                () -> {
                    send(httpB, "/warmup");
                    JsonObject live = health(httpA).getJsonObject("live");
                    return live != null
                            && live.getJsonObject("minute", new JsonObject()).getLong("requests", 0L) > 0;
                },
                "node A seeing node B's traffic");

        int allowed = 0;
        int refused = 0;
        for (int i = 0; i < 150; i++) {
            int status = send(i % 2 == 0 ? httpA : httpB, "/api/orders");
            if (status == 200) {
                allowed++;
            } else if (status == 429) {
                refused++;
            }
        }
        assertThat(allowed).isEqualTo(100);
        assertThat(refused).isEqualTo(50);

        EventStore store = await(EventStoreRegistry.fromServiceLoader()
                .create(
                        "postgres",
                        vertx,
                        Settings.of("events.postgres", new JsonObject().put("url", url())),
                        Clock.systemUTC()));
        try {
            eventually(
                    () -> await(store.ruleHitCounts(1, 10)).stream()
                            .anyMatch(h -> h.ruleName().equals("hourly") && h.hits() == 150),
                    "150 events in the shared store");
            TrafficSummary summary = await(store.trafficSummary(1));
            assertThat(summary.blocked()).isEqualTo(50);
            long recordedByA = health(httpA).getJsonObject("events").getLong("recorded");
            long recordedByB = health(httpB).getJsonObject("events").getLong("recorded");
            assertThat(recordedByA).isPositive();
            assertThat(recordedByB).isPositive();
        } finally {
            await(store.close());
        }
        eventually(
                () -> health(httpA)
                                .getJsonObject("live")
                                .getJsonObject("minute")
                                .getLong("requests")
                        >= 150,
                "node A's live counter with node B's traffic");

        // a rule made on node A's dashboard is in force on node B, from the shared store, told by the bus
        UsersFile.at(dir.resolve("tollgate-users.properties")).add("ops", "cluster secret".toCharArray(), true, 1_000);
        int created = await(client.post(httpA, "127.0.0.1", "/ratelimit/api/config/rules")
                        .basicAuthentication("ops", "cluster secret")
                        .sendJsonObject(new JsonObject()
                                .put("name", "dashboard-made")
                                .put("path", "/made")
                                .put("algorithm", "fixed-window")
                                .put("limit", 1)
                                .put("window", "1h")))
                .statusCode();
        assertThat(created).isEqualTo(201);
        eventually(() -> send(httpB, "/made") == 429, "node B refusing by the rule made on node A");

        b.destroy();
        assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(send(httpA, "/api/orders")).isEqualTo(429);
        assertThat(send(httpA, "/other")).isEqualTo(200);
        assertThat(health(httpA).getString("status")).isEqualTo("UP");
    }

    private Process start(String name, int http, int hazelcast, String members) throws IOException {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(
                config, """
                http: { host: 127.0.0.1, port: %d, instances: 1 }
                cluster: { host: 127.0.0.1, port: %d, members: %s, name: %s }
                limiter: { backend: redis, redis: { url: "redis://127.0.0.1:6379", keyPrefix: "%s" } }
                rules:
                  - { name: hourly, path: "/api/*", algorithm: fixed-window, limit: 100, window: 1h }
                  - { name: warmup, path: /warmup, algorithm: fixed-window, limit: 1000000, window: 1h }
                events: { store: postgres, postgres: { url: "%s" }, batchSize: 10, flushInterval: 100ms }
                """.formatted(http, hazelcast, members, prefix.substring(prefix.length() - 12), prefix, url()));
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tollgate.app.Main",
                        "serve",
                        "--cluster",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        nodes.add(process);
        return process;
    }

    private String url() {
        return "postgresql://postgres@127.0.0.1:5432/" + database;
    }

    private int send(int port, String path) {
        return await(client.get(port, "127.0.0.1", path).send()).statusCode();
    }

    private JsonObject health(int port) {
        try {
            return client.get(port, "127.0.0.1", "/health")
                    .send()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .bodyAsJsonObject();
        } catch (Exception e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls {@code condition} for up to 90 s, a node that does not answer yet counting as not yet. */
    private static void eventually(BooleanSupplier condition, String what) {
        Await.until(
                () -> {
                    try {
                        return condition.getAsBoolean();
                    } catch (RuntimeException notYet) {
                        return false;
                    }
                },
                what,
                Duration.ofSeconds(90));
    }
}
