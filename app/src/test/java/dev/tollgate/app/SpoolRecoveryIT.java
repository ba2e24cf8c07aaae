package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing recorded is lost when PostgreSQL refuses connections and {@code serve} is stopped: the buffered events
 * go to the spool at SIGTERM and into the table at the next start, each once — also when a replay is repeated
 * after a crash that left the replayed files behind.
 */
class SpoolRecoveryIT {

    private static final int REQUESTS = 500;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final String database =
            "tollgate_spool_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeEach
    void setUp() {
        sql("postgres", "CREATE DATABASE " + database);
    }

    @AfterEach
    void tearDown() {
        try {
            sql("postgres", "ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
            sql("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } finally {
            Await.close(vertx);
        }
    }

    @Test
    void eventsBufferedWhileTheStoreRefusesConnectionsReachItAfterARestartEachOnce() throws Exception {
        Path config = dir.resolve("tollgate.yaml");
        Path spool = dir.resolve("spool");
        Files.writeString(config, """
                http: { host: 127.0.0.1, port: 0, instances: 1 }
                rules: [ { name: api, path: "/api/*", algorithm: fixed-window, limit: 1000000, window: 1h } ]
                events:
                  store: postgres
                  postgres: { url: "postgresql://postgres@127.0.0.1:5432/%s", connectTimeout: 5s }
                  batchSize: 50
                  flushInterval: 100ms
                  spoolDir: spool
                """.formatted(database));
        Path log = dir.resolve("serve.log");
        try (ServeProcess first = ServeProcess.start(config, log).awaitListening()) {
            sql("postgres", "ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
            sql(
                    "postgres",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(RawHttp.get(first.port(), "/api/items/" + i).status())
                        .isEqualTo(200);
            }
            assertThat(first.terminate()).isZero();
        }
        assertThat(Files.readString(log)).contains(REQUESTS + " event(s) written to the spool");
        assertThat(spoolFiles(spool)).isNotEmpty();

        Path copies = Files.createDirectory(dir.resolve("copies"));
        for (Path file : spoolFiles(spool)) {
            Files.copy(file, copies.resolve(file.getFileName()));
        }
        sql("postgres", "ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");

        try (ServeProcess second = ServeProcess.start(config, log).awaitListening()) {
            Await.until(
                    () -> spoolFiles(spool).isEmpty() && stored().equals(List.of((long) REQUESTS, (long) REQUESTS)),
                    "the spool replayed into the table");
            assertThat(second.terminate()).isZero();
        }

        // as if a crash had come between the store's commit and the files' deletion
        for (Path file : spoolFiles(copies)) {
            Files.copy(file, spool.resolve(file.getFileName()));
        }
        try (ServeProcess third = ServeProcess.start(config, log).awaitListening()) {
            Await.until(() -> spoolFiles(spool).isEmpty(), "the spool replayed again");
            assertThat(third.terminate()).isZero();
        }
        assertThat(stored()).as("every event once: rows, distinct paths").containsExactly((long) REQUESTS, (long)
                REQUESTS);
        assertThat(Files.readString(log)).doesNotContain("lost");
    }

    private List<Long> stored() {
        List<Row> rows = sql(database, "SELECT count(*), count(DISTINCT path) FROM events");
        return List.of(rows.get(0).getLong(0), rows.get(0).getLong(1));
    }

    private static List<Path> spoolFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".spool"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Row> sql(String db, String statement) {
        Pool pool = PgBuilder.pool()
                .connectingTo(new PgConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(5432)
                        .setUser("postgres")
                        .setDatabase(db))
                .using(vertx)
                .build();
        try {
            List<Row> rows = new java.util.ArrayList<>();
            await(pool.query(statement).execute()).forEach(rows::add);
            return rows;
        } finally {
            await(pool.close());
        }
    }
}
