package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.alerting.WebhookReceiver;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.plugin.Settings;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate alerts} and {@code cleanup} as cron jobs against an event log in PostgreSQL: the cooldown holds across runs. */
class AlertsOnPostgresIT {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final String database =
            "tollgate_alerts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private WebhookReceiver webhook;

    @BeforeEach
    void setUp() {
        PostgresAdmin.run(vertx, "CREATE DATABASE " + database);
        webhook = WebhookReceiver.start(vertx);
    }

    @AfterEach
    void tearDown() {
        try {
            webhook.close();
            PostgresAdmin.run(vertx, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } finally {
            Await.close(vertx);
        }
    }

    @Test
    void theCooldownHoldsAcrossRunsAndCleanupPrunesTheLog() throws IOException {
        String url = "postgresql://postgres@127.0.0.1:5432/" + database;
        EventStore store = await(EventStoreRegistry.fromServiceLoader()
                .create(
                        "postgres",
                        vertx,
                        Settings.of("events.postgres", new JsonObject().put("url", url)),
                        Clock.systemUTC()));
        try {
            List<RateLimitEvent> events = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                events.add(blocked("ip:203.0.113.5", Instant.now().minus(Duration.ofMinutes(5))));
            }
            for (int i = 0; i < 3; i++) {
                events.add(blocked("ip:198.51.100.7", Instant.now().minus(Duration.ofDays(40))));
            }
            await(store.append(events));
        } finally {
            await(store.close());
        }
        Path config = dir.resolve("tollgate.yaml");
        Files.writeString(config, """
                events: { store: postgres, postgres: { url: "%s" } }
                alerts:
                  threshold: 5
                  cooldown: 1h
                  channels: { webhook: { url: "%s" } }
                """.formatted(url, webhook.url()));

        AlertsCommandTest.Run first = AlertsCommandTest.run("alerts", "--config", config.toString());
        AlertsCommandTest.Run second = AlertsCommandTest.run("alerts", "--config", config.toString());
        AlertsCommandTest.Run cleanup = AlertsCommandTest.run("cleanup", "--config", config.toString());

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out())
                .startsWith("1 offender(s) over threshold 5 in the last 1 day(s); channels: webhook sent");
        assertThat(second.code()).isZero();
        assertThat(second.out())
                .startsWith("0 offender(s) over threshold 5 in the last 1 day(s) (1 more alerted within the "
                        + "cooldown); nothing sent");
        assertThat(webhook.requests()).hasSize(1);
        assertThat(cleanup.code()).as(cleanup.err()).isZero();
        assertThat(cleanup.out()).startsWith("deleted 3 event(s) older than 30 day(s)");
    }

    private static RateLimitEvent blocked(String key, Instant at) {
        return RateLimitEvent.builder()
                .timestamp(at)
                .key(key)
                .path("/api")
                .method("GET")
                .allowed(false)
                .count(11)
                .limit(10)
                .build();
    }
}
