package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.MutableClock;
import dev.tollgate.events.Offender;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.plugin.Settings;
import dev.tollgate.store.memory.MemoryEventStore;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offender alerts count enforced blocks only: a client whose every request was served, however many of them a
 * shadow rule would have refused, is no offender. The events are those Tollgate records for such requests
 * ({@code allowed = true, shadow = true}); the alert goes to a real webhook receiver.
 */
class ShadowOffenderAlertsTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");

    private Vertx vertx;
    private MutableClock clock;
    private EventStore store;
    private WebhookReceiver webhook;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        clock = MutableClock.at(NOW);
        store = MemoryEventStore.create(vertx, clock);
        webhook = WebhookReceiver.start(vertx);
    }

    @AfterEach
    void tearDown() {
        try {
            webhook.close();
        } finally {
            Await.close(vertx);
        }
    }

    private OffenderAlerts alerts(long threshold) {
        AlertChannels channels = AlertChannelRegistry.fromServiceLoader()
                .open(
                        vertx,
                        Settings.of(
                                "alerts.channels",
                                new JsonObject()
                                        .put(
                                                "webhook",
                                                new JsonObject()
                                                        .put("url", webhook.url())
                                                        .put("timeout", "2s"))));
        return OffenderAlerts.create(
                vertx, store, channels, OffenderAlertOptions.defaults().withThreshold(threshold), clock);
    }

    /** {@code times} requests of {@code key} under a shadow rule that would have refused each one: all served. */
    private void shadowBlocked(String key, int times) {
        append(key, times, true, true);
    }

    /** {@code times} requests of {@code key} an enforced rule refused. */
    private void blocked(String key, int times) {
        append(key, times, false, false);
    }

    private void append(String key, int times, boolean allowed, boolean shadow) {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            events.add(RateLimitEvent.builder()
                    .timestamp(NOW.minus(Duration.ofMinutes(5)).plusMillis(i))
                    .key(key)
                    .ruleName(shadow ? "trial" : "api")
                    .path("/api")
                    .method("GET")
                    .allowed(allowed)
                    .shadow(shadow)
                    .count(11 + i)
                    .limit(10)
                    .build());
        }
        await(store.append(events));
    }

    @Test
    void aClientWhoseEveryRequestWasServedGetsNoOffenderAlertWhateverAShadowRuleSays() {
        shadowBlocked("ip:198.51.100.9", 50);

        OffenderAlertResult result = await(alerts(5).run());

        assertThat(result.offenders()).isEmpty();
        assertThat(result.toJson().encode())
                .isEqualTo("{\"enabled\":true,\"threshold\":5,\"days\":1,\"offenders\":[],\"channels\":{}}");
        assertThat(webhook.requests()).as("nothing sent").isEmpty();
        assertThat(await(store.topShadowOffenders(1, 10)))
                .as("the would-be offender is in the shadow ranking")
                .containsExactly(new Offender("ip:198.51.100.9", 50));
    }

    @Test
    void theAlertNamesTheClientsWithEnforcedBlocksCountingThoseOnly() {
        shadowBlocked("ip:198.51.100.9", 50);
        blocked("ip:203.0.113.5", 6);
        shadowBlocked("ip:203.0.113.5", 30);

        OffenderAlertResult result = await(alerts(5).run());

        assertThat(result.offenders()).containsExactly(new Offender("ip:203.0.113.5", 6));
        Await.until(() -> !webhook.requests().isEmpty(), "the webhook");
        assertThat(webhook.requests()).hasSize(1);
        assertThat(webhook.requests().get(0).json().getJsonArray("offenders"))
                .containsExactly(new JsonObject().put("key", "ip:203.0.113.5").put("blocked_count", 6));
    }
}
