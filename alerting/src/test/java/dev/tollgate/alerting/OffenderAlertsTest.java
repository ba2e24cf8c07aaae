package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.core.Addresses;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.MutableClock;
import dev.tollgate.events.Offender;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.plugin.Settings;
import dev.tollgate.store.memory.MemoryEventStore;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OffenderAlertsTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");

    private Vertx vertx;
    private MutableClock clock;
    private EventStore store;
    private SmtpReceiver smtp;
    private WebhookReceiver webhook;
    private final List<JsonObject> published = new CopyOnWriteArrayList<>();
    private MessageConsumer<JsonObject> consumer;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        clock = MutableClock.at(NOW);
        store = MemoryEventStore.create(vertx, clock);
        smtp = SmtpReceiver.start();
        webhook = WebhookReceiver.start(vertx);
        consumer = vertx.eventBus().consumer(Addresses.ALERTS, message -> published.add(message.body()));
        await(consumer.completion());
    }

    @AfterEach
    void tearDown() {
        try {
            smtp.close();
            webhook.close();
        } finally {
            Await.close(vertx);
        }
    }

    private JsonObject emailSettings(int port) {
        return new JsonObject()
                .put("to", new JsonArray().add("ops@example.com").add("security@example.com"))
                .put("from", "tollgate@example.com")
                .put(
                        "smtp",
                        new JsonObject()
                                .put("host", "127.0.0.1")
                                .put("port", port)
                                .put("timeout", "5s"));
    }

    private JsonObject webhookSettings() {
        return new JsonObject()
                .put("url", webhook.url())
                .put("secret", "s3cret")
                .put("timeout", "300ms");
    }

    private AlertChannels channels(JsonObject email, JsonObject hook) {
        JsonObject section = new JsonObject();
        if (email != null) {
            section.put("email", email);
        }
        if (hook != null) {
            section.put("webhook", hook);
        }
        return AlertChannelRegistry.fromServiceLoader().open(vertx, Settings.of("alerts.channels", section));
    }

    private AlertChannels bothChannels() {
        return channels(emailSettings(smtp.port()), webhookSettings());
    }

    private OffenderAlerts alerts(long threshold, AlertChannels channels) {
        return OffenderAlerts.create(
                vertx, store, channels, OffenderAlertOptions.defaults().withThreshold(threshold), clock);
    }

    private void blocked(String key, int times) {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            events.add(event(key, false));
        }
        events.add(event(key, true));
        await(store.append(events));
    }

    private RateLimitEvent event(String key, boolean allowed) {
        return RateLimitEvent.builder()
                .timestamp(clock.instant().minus(Duration.ofMinutes(5)))
                .key(key)
                .path("/api")
                .method("GET")
                .allowed(allowed)
                .count(11)
                .limit(10)
                .build();
    }

    private static final String DISABLED = "{\"enabled\":false,\"offenders\":[],\"channels\":{}}";

    @Test
    void aThresholdOfZeroOrBelowTurnsOffenderAlertsOff() {
        blocked("ip:203.0.113.5", 50);

        for (long threshold : new long[] {0, -1}) {
            OffenderAlertResult result = await(alerts(threshold, bothChannels()).run());

            assertThat(result.enabled()).isFalse();
            assertThat(result.toJson().encode()).isEqualTo(DISABLED);
        }
        assertNothingSent();
    }

    @Test
    void anAbsentThresholdTurnsOffenderAlertsOff() {
        blocked("ip:203.0.113.5", 50);
        OffenderAlertOptions options =
                OffenderAlertOptions.from(Settings.of("alerts", new JsonObject().put("days", 7)));

        OffenderAlertResult result = await(OffenderAlerts.create(vertx, store, bothChannels(), options, clock)
                .run());

        assertThat(result.toJson().encode()).isEqualTo(DISABLED);
        assertThat(await(OffenderAlerts.create(vertx, store, bothChannels(), options, clock)
                                .preview())
                        .toJson()
                        .encode())
                .isEqualTo(DISABLED);
        assertNothingSent();
    }

    @Test
    void withNoOffenderOverTheThresholdNothingIsSent() {
        blocked("ip:203.0.113.5", 4);

        OffenderAlertResult result = await(alerts(5, bothChannels()).run());

        assertThat(result.toJson().encode())
                .isEqualTo("{\"enabled\":true,\"threshold\":5,\"days\":1,\"offenders\":[],\"channels\":{}}");
        assertNothingSent();
    }

    @Test
    void theThresholdIsInclusive() {
        blocked("ip:at", 5);
        blocked("ip:below", 4);

        OffenderAlertResult result = await(alerts(5, AlertChannels.none(vertx)).run());

        assertThat(result.offenders()).containsExactly(new Offender("ip:at", 5));
    }

    @Test
    void emailAndWebhookBothGetTheAlertAndTheResultSaysSo() throws Exception {
        blocked("ip:203.0.113.5", 12);
        blocked("user:42", 5);
        blocked("ip:198.51.100.7", 2);

        OffenderAlertResult result = await(alerts(5, bothChannels()).run());

        assertThat(result.toJson()).isEqualTo(new JsonObject("""
                {"enabled": true, "threshold": 5, "days": 1,
                 "offenders": [{"key": "ip:203.0.113.5", "blocked_count": 12}, {"key": "user:42", "blocked_count": 5}],
                 "channels": {"email": {"sent": true, "recipients": ["ops@example.com", "security@example.com"]},
                              "webhook": {"sent": true, "status": 200}}}"""));
        assertThat(result.anyFailed()).isFalse();

        Await.until(() -> !smtp.messages().isEmpty(), "the email");
        SmtpReceiver.Message email = smtp.messages().get(0);
        assertThat(email.subject()).isEqualTo("[tollgate] 2 offender(s) alert");
        assertThat(email.text().stripTrailing()).isEqualTo("""
                2 rate-limit offender(s) exceeded 5 blocked requests in the last 1 day(s):

                ip:203.0.113.5: 12 blocked
                user:42: 5 blocked""");
        assertThat(email.to()).containsExactly("ops@example.com", "security@example.com");
        assertThat(email.from()).isEqualTo("tollgate@example.com");

        assertThat(webhook.requests()).hasSize(1);
        WebhookReceiver.Request request = webhook.requests().get(0);
        JsonObject body = request.json();
        assertThat(body.fieldNames()).containsExactly("threshold", "days", "offenders");
        assertThat(body.getLong("threshold")).isEqualTo(5);
        assertThat(body.getInteger("days")).isEqualTo(1);
        assertThat(body.getJsonArray("offenders"))
                .containsExactly(
                        new JsonObject().put("key", "ip:203.0.113.5").put("blocked_count", 12),
                        new JsonObject().put("key", "user:42").put("blocked_count", 5));
        assertThat(request.header("X-Tollgate-Signature"))
                .isEqualTo(WebhookChannel.signature(
                        "s3cret",
                        Long.parseLong(request.header("X-Tollgate-Timestamp")),
                        request.body().getBytes()));
    }

    @Test
    void theAlertIsPublishedOnTheBusWithItsType() {
        blocked("ip:203.0.113.5", 7);

        await(alerts(5, AlertChannels.none(vertx)).run());

        Await.until(() -> !published.isEmpty(), "the bus alert");
        assertThat(published).containsExactly(new JsonObject("""
                {"type": "offenders", "threshold": 5, "days": 1,
                 "offenders": [{"key": "ip:203.0.113.5", "blocked_count": 7}]}"""));
    }

    @Test
    void onlyTheTopHundredOffendersAreConsidered() {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            events.add(event(String.format("key-%03d", i), false));
            events.add(event(String.format("key-%03d", i), false));
        }
        await(store.append(events));

        OffenderAlertResult result = await(alerts(2, AlertChannels.none(vertx)).run());

        assertThat(result.offenders()).hasSize(100);
        assertThat(result.offenders().get(99).key()).isEqualTo("key-099");
    }

    @Test
    void aRefusedSmtpServerIsReportedAndTheWebhookStillSends() {
        blocked("ip:203.0.113.5", 7);
        int closed = EmailChannelTest.closedPort();

        OffenderAlertResult result = await(
                alerts(5, channels(emailSettings(closed), webhookSettings())).run());

        Delivery email = result.channels().get("email");
        assertThat(email.sent()).isFalse();
        assertThat(email.error().orElseThrow())
                .startsWith("SMTP server 127.0.0.1:" + closed + ": ")
                .contains("refused");
        assertThat(result.toJson()
                        .getJsonObject("channels")
                        .getJsonObject("email")
                        .fieldNames())
                .containsExactly("sent", "error");
        assertThat(result.channels().get("webhook").sent()).isTrue();
        assertThat(result.anyFailed()).isTrue();
        assertThat(webhook.requests()).hasSize(1);
    }

    @Test
    void aWebhookAnsweringFiveHundredIsReportedAndTheEmailStillSends() {
        blocked("ip:203.0.113.5", 7);
        webhook.answering(500);

        OffenderAlertResult result = await(alerts(5, bothChannels()).run());

        assertThat(result.channels().get("webhook").toJson())
                .isEqualTo(new JsonObject()
                        .put("sent", false)
                        .put(
                                "error",
                                "the webhook at http://127.0.0.1:" + webhook.port()
                                        + " answered 500 Internal Server Error"));
        assertThat(result.channels().get("email").sent()).isTrue();
        Await.until(() -> smtp.messages().size() == 1, "the email");
    }

    @Test
    void aWebhookThatNeverAnswersIsReportedAndTheEmailStillSends() {
        blocked("ip:203.0.113.5", 7);
        webhook.silent();

        OffenderAlertResult result = await(alerts(5, bothChannels()).run());

        assertThat(result.channels().get("webhook").error())
                .contains("no answer from the webhook at http://127.0.0.1:" + webhook.port() + " within 300 ms");
        assertThat(result.channels().get("email").sent()).isTrue();
        Await.until(() -> smtp.messages().size() == 1, "the email");
    }

    @Test
    void anOffenderAlertedWithinTheCooldownIsNotAlertedAgain() {
        blocked("ip:203.0.113.5", 7);
        OffenderAlerts alerts = alerts(5, bothChannels());
        await(alerts.run());

        clock.advance(Duration.ofMinutes(10));
        blocked("ip:203.0.113.5", 3);
        OffenderAlertResult second = await(alerts.run());

        assertThat(second.toJson().encode())
                .isEqualTo("{\"enabled\":true,\"threshold\":5,\"days\":1,\"offenders\":[],\"channels\":{}}");
        assertThat(second.coolingDown()).containsExactly(new Offender("ip:203.0.113.5", 10));
        assertThat(webhook.requests()).hasSize(1);
        Await.until(() -> smtp.messages().size() == 1, "the first email");
    }

    @Test
    void aNewOffenderIsAlertedWhileAnotherCoolsDown() {
        blocked("ip:first", 7);
        OffenderAlerts alerts = alerts(5, AlertChannels.none(vertx));
        await(alerts.run());

        blocked("ip:second", 9);
        OffenderAlertResult second = await(alerts.run());

        assertThat(second.offenders()).containsExactly(new Offender("ip:second", 9));
        assertThat(second.coolingDown()).containsExactly(new Offender("ip:first", 7));
    }

    @Test
    void onceTheCooldownHasPassedTheOffenderIsAlertedAgain() {
        blocked("ip:203.0.113.5", 7);
        OffenderAlerts alerts = alerts(5, AlertChannels.none(vertx));
        await(alerts.run());

        clock.advance(Duration.ofHours(1));
        assertThat(await(alerts.run()).offenders()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(await(alerts.run()).offenders()).extracting(Offender::key).containsExactly("ip:203.0.113.5");
    }

    @Test
    void theCooldownHoldsForANewRunnerOnTheSameStoreAsAfterARestart() {
        blocked("ip:203.0.113.5", 7);
        await(alerts(5, bothChannels()).run());

        OffenderAlertResult afterRestart = await(alerts(5, bothChannels()).run());

        assertThat(afterRestart.offenders()).isEmpty();
        assertThat(afterRestart.channels()).isEmpty();
        assertThat(webhook.requests()).hasSize(1);
    }

    @Test
    void whenEveryChannelFailsTheOffendersStayDueForTheNextRun() {
        blocked("ip:203.0.113.5", 7);
        webhook.answering(503);
        OffenderAlerts alerts = alerts(5, channels(emailSettings(EmailChannelTest.closedPort()), webhookSettings()));
        assertThat(await(alerts.run()).channels().values()).noneMatch(Delivery::sent);

        webhook.answering(200);
        OffenderAlertResult retried = await(alerts.run());

        assertThat(retried.offenders()).extracting(Offender::key).containsExactly("ip:203.0.113.5");
        assertThat(retried.channels().get("webhook").sent()).isTrue();
    }

    @Test
    void aZeroCooldownAlertsOnEveryRun() {
        blocked("ip:203.0.113.5", 7);
        OffenderAlerts alerts = OffenderAlerts.create(
                vertx,
                store,
                AlertChannels.none(vertx),
                OffenderAlertOptions.defaults().withThreshold(5).withCooldown(Duration.ZERO),
                clock);

        await(alerts.run());

        assertThat(await(alerts.run()).offenders()).hasSize(1);
    }

    @Test
    void aPreviewSendsPublishesAndMarksNothing() {
        blocked("ip:203.0.113.5", 7);
        OffenderAlerts alerts = alerts(5, bothChannels());

        OffenderAlertResult preview = await(alerts.preview());

        assertThat(preview.offenders()).containsExactly(new Offender("ip:203.0.113.5", 7));
        assertThat(preview.channels()).isEmpty();
        assertNothingSent();
        assertThat(await(alerts.run()).offenders()).hasSize(1);
    }

    @Test
    void aStoreThatCannotAnswerFailsTheRunSayingSo() {
        await(store.close());

        assertThatThrownBy(() -> await(alerts(5, bothChannels()).run()))
                .cause()
                .isInstanceOf(AlertingException.class)
                .hasMessage("cannot read the offenders from the event store: the memory event store is closed");
    }

    @Test
    void optionsComeFromTheAlertsSection() {
        OffenderAlertOptions options = OffenderAlertOptions.from(Settings.of(
                "alerts",
                new JsonObject()
                        .put("threshold", 100)
                        .put("days", 3)
                        .put("cooldown", "30m")
                        .put("every", "5m")));

        assertThat(options).isEqualTo(new OffenderAlertOptions(100, 3, Duration.ofMinutes(30)));
        assertThat(OffenderAlertOptions.from(Settings.empty("alerts"))).isEqualTo(OffenderAlertOptions.defaults());
        assertThatThrownBy(() ->
                        OffenderAlertOptions.from(Settings.of("alerts", new JsonObject().put("threshold", "many"))))
                .hasMessage("alerts.threshold: expected a whole number, got 'many'");
    }

    private void assertNothingSent() {
        assertThat(webhook.requests()).isEmpty();
        assertThat(smtp.messages()).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void aKeyFromTrafficCannotAddLinesToTheAlertsText() {
        Alert alert = OffenderAlerts.alert(
                1,
                1,
                List.of(new dev.tollgate.events.Offender("header:x-api-key:a\r\nip:6.6.6.6: 999 blocked\u001b[2J", 3)),
                clock.instant());
        assertThat(alert.text().lines())
                .hasSize(3)
                .last()
                .isEqualTo("header:x-api-key:a\\r\\nip:6.6.6.6: 999 blocked\\x1b[2J: 3 blocked");
        assertThat(alert.body().getJsonArray("offenders").getJsonObject(0).getString("key"))
                .as("the JSON keeps the key as it is; JSON escapes it")
                .isEqualTo("header:x-api-key:a\r\nip:6.6.6.6: 999 blocked\u001b[2J");
    }
}
