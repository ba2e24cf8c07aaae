package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.core.Addresses;
import dev.tollgate.core.EventBatch;
import dev.tollgate.events.MutableClock;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.plugin.Settings;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrafficAlertsTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56Z");
    private static final TrafficAlertOptions OPTIONS =
            new TrafficAlertOptions(2, Duration.ofSeconds(10), Duration.ofMillis(20));

    private Vertx vertx;
    private MutableClock clock;
    private WebhookReceiver webhook;
    private AlertChannels channels;
    private final List<JsonObject> published = new CopyOnWriteArrayList<>();
    private final Map<TrafficAlerts, String> deployments = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        EventBatch.registerCodecs(vertx);
        clock = MutableClock.at(NOW);
        webhook = WebhookReceiver.start(vertx);
        channels = AlertChannelRegistry.fromServiceLoader()
                .open(
                        vertx,
                        Settings.of(
                                "alerts.channels",
                                new JsonObject().put("webhook", new JsonObject().put("url", webhook.url()))));
        await(vertx.eventBus()
                .<JsonObject>consumer(Addresses.ALERTS, message -> published.add(message.body()))
                .completion());
    }

    @AfterEach
    void tearDown() {
        try {
            webhook.close();
        } finally {
            Await.close(vertx);
        }
    }

    private TrafficAlerts deploy() {
        TrafficAlerts alerts = TrafficAlerts.create(channels, OPTIONS, clock);
        deployments.put(alerts, await(vertx.deployVerticle(alerts)));
        return alerts;
    }

    /** {@code n} requests, handed over as Tollgate does: in batches (here of up to 10). */
    private void requests(int n) {
        List<RateLimitEvent> batch = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(RateLimitEvent.builder()
                    .timestamp(clock.instant())
                    .key("ip:10.0.0." + i)
                    .ruleName("api")
                    .path("/api")
                    .method("GET")
                    .allowed(true)
                    .count(1)
                    .limit(100)
                    .build());
            if (batch.size() == 10 || i == n - 1) {
                vertx.eventBus().publish(Addresses.EVENT_BATCHES, new EventBatch(batch));
                batch.clear();
            }
        }
    }

    private List<String> types() {
        return published.stream().map(alert -> alert.getString("type")).toList();
    }

    private static void ticksPass(TrafficAlerts alerts, int n) {
        long from = alerts.ticks();
        Await.until(() -> alerts.ticks() >= from + n, n + " more evaluations");
    }

    @Test
    void highTrafficRaisesOneAlertAndItsEndOneRecovery() {
        TrafficAlerts alerts = deploy();

        requests(25);
        Await.until(() -> types().contains("traffic-high"), "the high-traffic alert");
        requests(30);
        ticksPass(alerts, 5);
        assertThat(types()).containsExactly("traffic-high");

        clock.advance(Duration.ofSeconds(11));
        Await.until(() -> types().contains("traffic-recovered"), "the recovery");
        ticksPass(alerts, 5);
        assertThat(types()).containsExactly("traffic-high", "traffic-recovered");

        requests(21);
        Await.until(() -> types().size() == 3, "the next crossing");
        assertThat(types()).containsExactly("traffic-high", "traffic-recovered", "traffic-high");
    }

    @Test
    void theAlertSaysWhenHowManyAndAgainstWhatAndGoesToTheChannels() {
        deploy();

        requests(25);
        Await.until(() -> !published.isEmpty(), "the high-traffic alert");

        JsonObject alert = published.get(0);
        long hits = alert.getLong("hits");
        assertThat(hits).isBetween(21L, 25L);
        assertThat(alert.fieldNames())
                .containsExactly("type", "time", "time_utc", "hits", "window", "rate", "threshold", "message");
        assertThat(alert.getLong("time")).isEqualTo(NOW.getEpochSecond());
        assertThat(alert.getString("time_utc")).isEqualTo("2026-03-15T12:34:56.000Z");
        assertThat(alert.getLong("window")).isEqualTo(10);
        assertThat(alert.getDouble("rate")).isEqualTo(hits / 10.0);
        assertThat(alert.getDouble("threshold")).isEqualTo(2.0);
        assertThat(alert.getString("message"))
                .isEqualTo("High traffic generated an alert - hits = " + hits + ", triggered at " + NOW.getEpochSecond()
                        + " (2026-03-15 12:34:56 UTC)");
        Await.until(() -> webhook.requests().size() == 1, "the webhook");
        assertThat(webhook.requests().get(0).json()).isEqualTo(alert);
        assertThat(webhook.requests().get(0).header("X-Tollgate-Alert")).isEqualTo("traffic-high");
    }

    @Test
    void theSubjectAndMessagesReadWell() {
        Alert high = TrafficAlerts.alert(true, 1549573956L, 1206, TrafficAlertOptions.defaults());
        Alert recovered = TrafficAlerts.alert(false, 1549574043L, 1100, TrafficAlertOptions.defaults());

        assertThat(high.subject()).isEqualTo("[tollgate] high traffic: 10.05 requests/s over 2m (threshold 10)");
        assertThat(high.text())
                .isEqualTo(
                        "High traffic generated an alert - hits = 1206, triggered at 1549573956 (2019-02-07 21:12:36 UTC)");
        assertThat(recovered.subject())
                .isEqualTo("[tollgate] traffic recovered: 9.17 requests/s over 2m (threshold 10)");
        assertThat(recovered.text()).isEqualTo("High traffic alert recovered at 1549574043 (2019-02-07 21:14:03 UTC)");
        assertThat(recovered.toJson().getString("type")).isEqualTo("traffic-recovered");
    }

    @Test
    void ofTwoInstancesOnlyTheLockHolderAlertsAndTheOtherTakesOver() {
        TrafficAlerts first = deploy();
        TrafficAlerts second = deploy();
        Await.until(() -> first.alerting() || second.alerting(), "one instance holding the lock");
        assertThat(first.alerting() && second.alerting()).isFalse();

        requests(25);
        Await.until(() -> types().contains("traffic-high"), "the high-traffic alert");
        Await.until(() -> first.high() && second.high(), "both instances counting");
        ticksPass(first, 5);
        ticksPass(second, 5);
        assertThat(types()).containsExactly("traffic-high");

        TrafficAlerts holder = first.alerting() ? first : second;
        TrafficAlerts standby = holder == first ? second : first;
        await(vertx.undeploy(deployments.get(holder)));
        Await.until(standby::alerting, "the standby taking over");

        clock.advance(Duration.ofSeconds(11));
        Await.until(() -> types().contains("traffic-recovered"), "the recovery from the new holder");
        assertThat(types()).containsExactly("traffic-high", "traffic-recovered");
    }
}
