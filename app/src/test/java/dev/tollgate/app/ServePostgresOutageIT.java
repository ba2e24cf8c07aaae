package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.TollgateMetrics;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.plugin.Settings;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve recording to PostgreSQL while the database goes away and comes back. */
class ServePostgresOutageIT {

    @TempDir
    Path dir;

    private final Vertx peer = Vertx.vertx();
    private final Vertx tollgateVertx = Vertx.vertx();
    private final WebClient client = WebClient.create(peer);
    private final String database =
            "tollgate_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private int relayPort;
    private TcpRelay relay;
    private Server server;

    @BeforeEach
    void setUp() throws IOException {
        PostgresAdmin.run(peer, "CREATE DATABASE " + database);
        relayPort = freePort();
        relay = new TcpRelay(peer, relayPort, "127.0.0.1", 5432);
        await(relay.start());
    }

    @AfterEach
    void tearDown() {
        try {
            if (server != null) {
                await(server.stop());
            }
        } finally {
            Await.close(tollgateVertx);
            try {
                PostgresAdmin.run(peer, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } finally {
                Await.close(peer);
            }
        }
    }

    @Test
    void requestsAreAnsweredWhileTheStoreIsDownAndTheBufferedAndSpooledEventsArriveWhenItReturns() throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, """
                http: { host: 127.0.0.1, port: 0 }
                rules: [ { name: api, path: "/api/*", algorithm: fixed-window, limit: 100000, window: 1h } ]
                events:
                  store: postgres
                  postgres: { url: "postgresql://postgres@127.0.0.1:%d/%s", connectTimeout: 1s }
                  bufferSize: 30
                  batchSize: 5
                  flushInterval: 50ms
                """.formatted(relayPort, database));
        ConfigLoader loader = ServeCommand.loader();
        server = await(Server.start(tollgateVertx, loader.load(Optional.of(file), Map.of()), loader, false));
        TollgateMetrics metrics = server.tollgate().metrics();

        send(10);
        eventually(() -> metrics.recordedEvents() == 10, "the first 10 events recorded");

        LogCapture log = LogCapture.start();
        await(relay.stop());
        assertThat(send(20))
                .as("every request answered while the store is down")
                .isEqualTo(20);
        eventually(
                () -> !metrics.prometheus().contains("tollgate_store_append_failures_total 0.0\n"), "a failed append");
        eventually(() -> metrics.bufferedEvents() == 20, "20 events held in the buffer");
        eventually(() -> !server.tollgate().degradedReasons().isEmpty(), "the store unreachable for 10 s");
        assertThat(server.tollgate().degradedReasons())
                .singleElement()
                .asString()
                .startsWith("the event store has been unreachable for 1");

        await(relay.start());
        eventually(() -> metrics.recordedEvents() == 30, "the buffered events recorded after the outage");
        assertThat(metrics.droppedEvents()).isZero();
        assertThat(storedEvents()).isEqualTo(30);
        assertThat(server.tollgate().degradedReasons()).isEmpty();
        log.close();
        assertThat(log.lines(Level.WARNING, "event store"))
                .as("one line as the outage begins, however many retries")
                .singleElement()
                .asString()
                .startsWith("the event store cannot take events (");
        assertThat(log.lines(Level.INFO, "the event store answers again after 1"))
                .hasSize(1);

        await(relay.stop());
        assertThat(send(50)).isEqualTo(50);
        eventually(
                () -> metrics.spooledEvents() > 0 && metrics.spooledEvents() + metrics.bufferedEvents() == 50,
                "the events beyond the buffer written to the spool");
        long spooled = metrics.spooledEvents();
        assertThat(metrics.bufferedEvents()).isBetween(30L, 35L);
        assertThat(metrics.droppedEvents()).isZero();
        assertThat(metrics.prometheus()).contains("tollgate_events_spooled_total " + (double) spooled + "\n");

        await(relay.start());
        eventually(
                () -> metrics.recordedEvents() == 80 && metrics.spoolPendingEvents() == 0,
                "the buffered and the spooled events recorded");
        assertThat(metrics.replayedEvents()).isEqualTo(spooled);
        assertThat(storedEvents()).isEqualTo(80);
        assertThat(metrics.droppedEvents()).isZero();
    }

    private int send(int requests) {
        int answered = 0;
        for (int i = 0; i < requests; i++) {
            if (await(client.get(server.port(), "127.0.0.1", "/api/items").send())
                            .statusCode()
                    == 200) {
                answered++;
            }
        }
        return answered;
    }

    private long storedEvents() {
        EventStore store = await(EventStoreRegistry.fromServiceLoader()
                .create(
                        "postgres",
                        peer,
                        Settings.of(
                                "events.postgres",
                                new JsonObject().put("url", "postgresql://postgres@127.0.0.1:5432/" + database)),
                        Clock.systemUTC()));
        try {
            return await(store.trafficSummary(1)).total();
        } finally {
            await(store.close());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls {@code condition} for up to 60 s: an outage of over 10 s is part of the test. */
    private static void eventually(BooleanSupplier condition, String what) {
        Await.until(condition, what, Duration.ofSeconds(60));
    }
}
