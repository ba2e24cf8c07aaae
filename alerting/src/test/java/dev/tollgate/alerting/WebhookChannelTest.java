package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannelContract;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest extends AlertChannelContract {

    private WebhookReceiver receiver;

    @BeforeAll
    void startReceiver() {
        receiver = WebhookReceiver.start(vertx);
    }

    @BeforeEach
    void answerOk() {
        receiver.answering(200);
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    @Override
    protected AlertChannelProvider provider() {
        return new WebhookChannelProvider();
    }

    @Override
    protected JsonObject workingConfig() {
        return new JsonObject().put("url", receiver.url());
    }

    @Override
    protected boolean received(Alert alert) {
        return receiver.requests().stream().anyMatch(request -> request.json().equals(alert.body()));
    }

    @Override
    protected Optional<JsonObject> unreachableConfig() {
        return Optional.of(new JsonObject()
                .put("url", "http://127.0.0.1:" + EmailChannelTest.closedPort() + "/hook")
                .put("timeout", "2s"));
    }

    private static Alert offenders() {
        return OffenderAlerts.alert(
                5,
                1,
                java.util.List.of(
                        new dev.tollgate.events.Offender("ip:203.0.113.5", 12),
                        new dev.tollgate.events.Offender("user:42", 5)),
                Instant.parse("2026-03-15T12:00:00Z"));
    }

    private WebhookReceiver.Request lastRequest() {
        return receiver.requests().get(receiver.requests().size() - 1);
    }

    @Test
    void postsTheBodyAsJsonWithTheAlertTypeAndTheExtraHeaders() {
        JsonObject config = workingConfig()
                .put(
                        "headers",
                        new JsonObject().put("Authorization", "Bearer abc").put("X-Team", "ops"));

        JsonObject details = await(channel(config).send(offenders()));

        assertThat(details).isEqualTo(new JsonObject().put("status", 200));
        WebhookReceiver.Request request = lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo("/hook");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-Tollgate-Alert")).isEqualTo("offenders");
        assertThat(request.header("Authorization")).isEqualTo("Bearer abc");
        assertThat(request.header("X-Team")).isEqualTo("ops");
        assertThat(request.header("X-Tollgate-Signature")).isNull();
        assertThat(Long.parseLong(request.header("X-Tollgate-Timestamp")))
                .isCloseTo(Instant.now().getEpochSecond(), within(5L));
        JsonObject body = request.json();
        assertThat(body.fieldNames()).containsExactly("threshold", "days", "offenders");
        assertThat(body.getLong("threshold")).isEqualTo(5);
        assertThat(body.getInteger("days")).isEqualTo(1);
        JsonArray offenders = body.getJsonArray("offenders");
        assertThat(offenders).hasSize(2);
        assertThat(offenders.getJsonObject(0).fieldNames()).containsExactly("key", "blocked_count");
        assertThat(offenders.getJsonObject(0).getString("key")).isEqualTo("ip:203.0.113.5");
        assertThat(offenders.getJsonObject(0).getLong("blocked_count")).isEqualTo(12);
        assertThat(offenders.getJsonObject(1).getString("key")).isEqualTo("user:42");
        assertThat(offenders.getJsonObject(1).getLong("blocked_count")).isEqualTo(5);
    }

    /**
     * What docs/alerting.md's receiver does: the timestamp is at most 5 minutes from {@code now}, and the
     * signature is the HMAC-SHA256 of {@code timestamp.body}, compared in constant time.
     */
    private static boolean verifies(String secret, String timestamp, Buffer body, String signature, long now)
            throws Exception {
        if (timestamp == null
                || !timestamp.matches("[0-9]{1,12}")
                || Math.abs(now - Long.parseLong(timestamp)) > 300
                || signature == null) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSecretSignsTheTimestampAndTheBodyWithHmacSha256() throws Exception {
        await(channel(workingConfig().put("secret", "s3cret")).send(offenders()));

        WebhookReceiver.Request request = lastRequest();
        String timestamp = request.header("X-Tollgate-Timestamp");
        assertThat(timestamp).matches("[0-9]{10}");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected =
                "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body().getBytes()));
        assertThat(request.header("X-Tollgate-Signature")).isEqualTo(expected);
        assertThat(verifies(
                        "s3cret",
                        timestamp,
                        request.body(),
                        request.header("X-Tollgate-Signature"),
                        Instant.now().getEpochSecond()))
                .isTrue();
    }

    @Test
    void theTimestampIsTheChannelsClockInEpochSeconds() throws Exception {
        Instant sent = Instant.parse("2026-03-15T12:00:00.750Z");
        WebhookChannel channel = new WebhookChannel(
                vertx,
                WebhookChannelProvider.options(settings(workingConfig()
                        .put("secret", "s3cret")
                        .put("headers", new JsonObject().put("X-Tollgate-Timestamp", "1")))),
                InstantSource.fixed(sent));
        try {
            await(channel.send(offenders()));
        } finally {
            await(channel.close());
        }

        WebhookReceiver.Request request = lastRequest();
        assertThat(request.headers().getAll("X-Tollgate-Timestamp"))
                .as("not the configured header")
                .containsExactly("1773576000");
        assertThat(request.header("X-Tollgate-Signature"))
                .isEqualTo(WebhookChannel.signature(
                        "s3cret", 1773576000L, request.body().getBytes()));
        assertThat(verifies(
                        "s3cret",
                        "1773576000",
                        request.body(),
                        request.header("X-Tollgate-Signature"),
                        sent.getEpochSecond() + 299))
                .isTrue();
    }

    @Test
    void aReplayedBodyFailsVerificationWithANewTimestampAndWithItsOldOne() throws Exception {
        await(channel(workingConfig().put("secret", "s3cret")).send(offenders()));
        WebhookReceiver.Request request = lastRequest();
        String signature = request.header("X-Tollgate-Signature");
        long timestamp = Long.parseLong(request.header("X-Tollgate-Timestamp"));
        long now = Instant.now().getEpochSecond();

        assertThat(verifies("s3cret", Long.toString(timestamp), request.body(), signature, now))
                .isTrue();
        assertThat(verifies("s3cret", Long.toString(timestamp + 400), request.body(), signature, now + 400))
                .as("the same body and signature, replayed later with a fresh timestamp")
                .isFalse();
        assertThat(verifies("s3cret", Long.toString(timestamp), request.body(), signature, now + 400))
                .as("replayed later with its own timestamp, older than 5 minutes")
                .isFalse();
        assertThat(verifies(
                        "s3cret",
                        Long.toString(timestamp),
                        Buffer.buffer(
                                request.body().toString().replace("\"blocked_count\":12", "\"blocked_count\":13")),
                        signature,
                        now))
                .as("a changed body")
                .isFalse();
        assertThat(verifies("an0ther", Long.toString(timestamp), request.body(), signature, now))
                .as("another secret")
                .isFalse();
    }

    @Test
    void theSignatureIsTheOneDocsAlertingShowsForItsExample() {
        String body = "{\"threshold\":5,\"days\":1,\"offenders\":[{\"key\":\"ip:203.0.113.5\",\"blocked_count\":12}]}";

        assertThat(WebhookChannel.signature("s3cret", 1773576000L, body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=ce454efec20084e4befa701db35fc49e5de2b0998eb614aabe2de6714e691f4b");
    }

    @Test
    void theSignatureHeaderCanBeRenamed() {
        await(channel(workingConfig().put("secret", "s3cret").put("signatureHeader", "X-Hub-Signature-256"))
                .send(offenders()));

        WebhookReceiver.Request request = lastRequest();
        assertThat(request.header("X-Hub-Signature-256"))
                .isEqualTo(WebhookChannel.signature(
                        "s3cret",
                        Long.parseLong(request.header("X-Tollgate-Timestamp")),
                        request.body().getBytes()));
        assertThat(request.header("X-Tollgate-Signature")).isNull();
    }

    @Test
    void aStatusOutsideTwoHundredsIsAFailureNamingIt() {
        receiver.answering(500);

        assertThatThrownBy(() -> await(channel(workingConfig()).send(offenders())))
                .cause()
                .isInstanceOf(AlertingException.class)
                .hasMessage(
                        "the webhook at http://127.0.0.1:" + receiver.port() + " answered 500 Internal Server Error");

        receiver.answering(404);
        assertThatThrownBy(() -> await(channel(workingConfig()).send(offenders())))
                .cause()
                .hasMessageEndingWith("answered 404 Not Found");
    }

    @Test
    void aWebhookThatNeverAnswersFailsAfterItsTimeout() {
        receiver.silent();

        assertThatThrownBy(() ->
                        await(channel(workingConfig().put("timeout", "300ms")).send(offenders())))
                .cause()
                .isInstanceOf(AlertingException.class)
                .hasMessage("no answer from the webhook at http://127.0.0.1:" + receiver.port() + " within 300 ms");
    }

    @Test
    void messagesNeverShowThePathOrQueryOfTheUrl() {
        receiver.answering(403);
        JsonObject config = new JsonObject().put("url", receiver.url() + "/T000/B000/token-abc?key=secret-xyz");

        assertThatThrownBy(() -> await(channel(config).send(offenders())))
                .cause()
                .satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain("token-abc").doesNotContain("secret-xyz"));
        assertThat(lastRequest().uri()).isEqualTo("/hook/T000/B000/token-abc?key=secret-xyz");
    }

    @Test
    void theTimeoutIsFiveSecondsUnlessSet() {
        assertThat(WebhookChannelProvider.options(settings(workingConfig())).timeout())
                .hasSeconds(5);
        assertThat(WebhookChannelProvider.options(settings(workingConfig().put("timeout", "750ms")))
                        .timeout())
                .hasMillis(750);
    }

    @Test
    void badSettingsNameTheirFullKey() {
        assertRefused(
                new JsonObject(),
                "url",
                "alerts.channels.webhook.url: required, as in url: https://hooks.example.com/ratelimit");
        assertRefused(
                new JsonObject().put("url", "ftp://example.com/x"),
                "url",
                "alerts.channels.webhook.url: expected an http:// or https:// URL with a host, got 'ftp://example.com/x'");
        assertRefused(workingConfig().put("timeout", "-1s"), "timeout");
        assertRefused(workingConfig().put("headers", "Authorization: x"), "headers");
        assertRefused(workingConfig().put("signatureHeader", "Bad Header"), "signatureHeader");
    }
}
