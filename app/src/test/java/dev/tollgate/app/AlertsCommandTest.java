package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.alerting.SmtpReceiver;
import dev.tollgate.alerting.WebhookReceiver;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsCommandTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private Vertx peer;
    private SmtpReceiver smtp;
    private WebhookReceiver webhook;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() {
        SharedEventStoreProvider.reset();
        peer = Vertx.vertx();
        smtp = SmtpReceiver.start();
        webhook = WebhookReceiver.start(peer);
    }

    @AfterEach
    void tearDown() {
        try {
            smtp.close();
            webhook.close();
        } finally {
            Await.close(peer);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Run(code, out.toString(), err.toString());
    }

    private Path config(String alerts) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, "events: { store: shared }\n" + alerts);
        return file;
    }

    private String channels(int smtpPort, String webhookExtra) {
        return """
                  channels:
                    email: { to: [ops@example.com], from: tollgate@example.com,
                             smtp: { host: 127.0.0.1, port: %d, timeout: 5s } }
                    webhook: { url: "%s", timeout: 2s%s }
                """.formatted(smtpPort, webhook.url(), webhookExtra);
    }

    private Path configWithChannels(String alerts) throws IOException {
        return config("alerts:\n" + alerts + channels(smtp.port(), ""));
    }

    static void blocked(String key, int times) {
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            events.add(RateLimitEvent.builder()
                    .timestamp(Instant.now().minus(Duration.ofMinutes(5)))
                    .key(key)
                    .path("/api")
                    .method("GET")
                    .allowed(false)
                    .count(11)
                    .limit(10)
                    .build());
        }
        await(SharedEventStoreProvider.store().append(events));
    }

    private void twoOffendersAndABystander() {
        blocked("ip:203.0.113.5", 12);
        blocked("user:42", 5);
        blocked("ip:198.51.100.7", 2);
    }

    @Test
    void withoutAThresholdAlertsAreDisabledAndTheCommandSaysSo() throws IOException {
        twoOffendersAndABystander();
        Path file = configWithChannels("  days: 1\n");

        Run absent = run("alerts", "--config", file.toString());
        Run zero = run("alerts", "--config", file.toString(), "--threshold", "0");
        Run json = run("alerts", "--config", file.toString(), "--threshold", "-3", "--json");

        assertThat(absent.code()).isZero();
        assertThat(absent.out())
                .isEqualTo("alerts disabled (threshold 0 <= 0): set alerts.threshold or pass --threshold N" + NL);
        assertThat(zero.out()).isEqualTo(absent.out());
        assertThat(new JsonObject(json.out()))
                .isEqualTo(new JsonObject("{\"enabled\":false,\"offenders\":[],\"channels\":{}}"));
        assertThat(webhook.requests()).isEmpty();
        assertThat(smtp.messages()).isEmpty();
    }

    @Test
    void aRunListsTheOffendersAndWhatEachChannelDid() throws IOException {
        twoOffendersAndABystander();

        Run run =
                run("alerts", "--config", configWithChannels("  threshold: 5\n").toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(
                        "2 offender(s) over threshold 5 in the last 1 day(s); channels: email sent, webhook sent" + NL
                                + "  ip:203.0.113.5: 12" + NL
                                + "  user:42: 5" + NL);
        assertThat(webhook.requests()).hasSize(1);
        assertThat(smtp.messages())
                .extracting(SmtpReceiver.Message::subject)
                .containsExactly("[tollgate] 2 offender(s) alert");
    }

    @Test
    void aWebhookAnsweringFiveHundredMakesTheCommandFailWhileTheEmailIsSent() throws IOException {
        twoOffendersAndABystander();
        webhook.answering(500);

        Run run =
                run("alerts", "--config", configWithChannels("  threshold: 5\n").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out().lines().findFirst().orElseThrow())
                .isEqualTo("2 offender(s) over threshold 5 in the last 1 day(s); "
                        + "channels: email sent, webhook failed: the webhook at http://127.0.0.1:" + webhook.port()
                        + " answered 500 Internal Server Error");
        assertThat(smtp.messages()).hasSize(1);
    }

    @Test
    void aWebhookThatNeverAnswersMakesTheCommandFailWhileTheEmailIsSent() throws IOException {
        twoOffendersAndABystander();
        webhook.silent();

        Run run =
                run("alerts", "--config", configWithChannels("  threshold: 5\n").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out())
                .contains("email sent, webhook failed: no answer from the webhook at http://127.0.0.1:" + webhook.port()
                        + " within 2 s");
        assertThat(smtp.messages()).hasSize(1);
    }

    @Test
    void aRefusedSmtpServerMakesTheCommandFailWhileTheWebhookIsSent() throws IOException {
        twoOffendersAndABystander();
        int closed = closedPort();
        Path file = config("alerts:\n  threshold: 5\n" + channels(closed, ""));

        Run run = run("alerts", "--config", file.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out())
                .startsWith("2 offender(s) over threshold 5 in the last 1 day(s); channels: email failed: "
                        + "SMTP server 127.0.0.1:" + closed + ": ")
                .contains(", webhook sent" + NL);
        assertThat(webhook.requests()).hasSize(1);
    }

    @Test
    void aDryRunUsesTheConfiguredThresholdAndSendsNothing() throws IOException {
        twoOffendersAndABystander();
        Path file = configWithChannels("  threshold: 5\n");

        Run dry = run("alerts", "--config", file.toString(), "--dry-run");
        Run higher = run("alerts", "--config", file.toString(), "--dry-run", "--threshold", "10", "--days", "7");

        assertThat(dry.code()).isZero();
        assertThat(dry.out())
                .isEqualTo("dry run: 2 offender(s) over threshold 5 in the last 1 day(s); nothing sent" + NL
                        + "  ip:203.0.113.5: 12" + NL
                        + "  user:42: 5" + NL
                        + "would send to: email, webhook" + NL);
        assertThat(higher.out())
                .isEqualTo("dry run: 1 offender(s) over threshold 10 in the last 7 day(s); nothing sent" + NL
                        + "  ip:203.0.113.5: 12" + NL
                        + "would send to: email, webhook" + NL);
        assertThat(webhook.requests()).isEmpty();
        assertThat(smtp.messages()).isEmpty();
        assertThat(run("alerts", "--config", file.toString()).out()).startsWith("2 offender(s) over threshold 5");
    }

    @Test
    void theSecondOfTwoRunsWithinTheCooldownSendsNothing() throws IOException {
        twoOffendersAndABystander();
        Path file = configWithChannels("  threshold: 5\n  cooldown: 1h\n");

        Run first = run("alerts", "--config", file.toString());
        blocked("ip:203.0.113.5", 3);
        Run second = run("alerts", "--config", file.toString());
        Run dry = run("alerts", "--config", file.toString(), "--dry-run");

        assertThat(first.out()).startsWith("2 offender(s)");
        assertThat(second.code()).isZero();
        assertThat(second.out())
                .isEqualTo("0 offender(s) over threshold 5 in the last 1 day(s) (2 more alerted within the "
                        + "cooldown); nothing sent" + NL);
        assertThat(dry.out())
                .isEqualTo("dry run: 0 offender(s) over threshold 5 in the last 1 day(s) (2 more alerted "
                        + "within the cooldown); nothing sent" + NL
                        + "  ip:203.0.113.5: 15 (alerted within the cooldown)" + NL
                        + "  user:42: 5 (alerted within the cooldown)" + NL);
        assertThat(webhook.requests()).hasSize(1);
        assertThat(smtp.messages()).hasSize(1);
    }

    @Test
    void noOffenderOverTheThresholdSendsNothingAndSucceeds() throws IOException {
        blocked("ip:198.51.100.7", 2);

        Run run =
                run("alerts", "--config", configWithChannels("  threshold: 5\n").toString());

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("0 offender(s) over threshold 5 in the last 1 day(s); nothing sent" + NL);
        assertThat(webhook.requests()).isEmpty();
    }

    @Test
    void theJsonOutputIsTheResult() throws IOException {
        blocked("ip:203.0.113.5", 7);

        Run run =
                run("alerts", "--config", configWithChannels("  threshold: 5\n").toString(), "--json");

        assertThat(new JsonObject(run.out())).isEqualTo(new JsonObject("""
                {"enabled": true, "threshold": 5, "days": 1,
                 "offenders": [{"key": "ip:203.0.113.5", "blocked_count": 7}],
                 "channels": {"email": {"sent": true, "recipients": ["ops@example.com"]},
                              "webhook": {"sent": true, "status": 200}}}"""));
    }

    @Test
    void badConfigurationOrArgumentsExitWithTwoAndOneMessage() throws IOException {
        Path unknownChannel = dir.resolve("sms.yaml");
        Files.writeString(unknownChannel, "alerts: { threshold: 5, channels: { sms: { to: \"+100\" } } }\n");
        Path badWebhook = dir.resolve("webhook.yaml");
        Files.writeString(badWebhook, "alerts: { threshold: 5, channels: { webhook: { url: nowhere } } }\n");

        Run sms = run("alerts", "--config", unknownChannel.toString());
        assertThat(sms.code()).isEqualTo(2);
        assertThat(sms.err())
                .isEqualTo("tollgate: configuration error: alerts.channels.sms: unknown alert channel 'sms'; "
                        + "installed: email, log, webhook" + NL);

        Run url = run("alerts", "--config", badWebhook.toString());
        assertThat(url.code()).isEqualTo(2);
        assertThat(url.err())
                .isEqualTo("tollgate: configuration error: alerts.channels.webhook.url: expected an http:// "
                        + "or https:// URL with a host, got 'nowhere'" + NL);

        Run days = run("alerts", "--days", "0");
        assertThat(days.code()).isEqualTo(2);
        assertThat(days.err()).startsWith("tollgate: --days must be at least 1, got 0" + NL);

        Run threshold = run("alerts", "--threshold", "lots");
        assertThat(threshold.code()).isEqualTo(2);

        Path unknownStore = dir.resolve("nostore.yaml");
        Files.writeString(unknownStore, "events: { store: nosuch }\nalerts: { threshold: 1 }\n");
        Run store = run("alerts", "--config", unknownStore.toString());
        assertThat(store.code()).isEqualTo(2);
        assertThat(store.err())
                .startsWith("tollgate: configuration error: events.store: unknown event store 'nosuch'; installed: ");
    }

    @Test
    void refusesTheMemoryStoreWhichLivesInsideServe() throws IOException {
        Path memory = dir.resolve("memory.yaml");
        Files.writeString(memory, "alerts:\n  threshold: 5\n" + channels(smtp.port(), ""));

        Run run = run("alerts", "--config", memory.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("tollgate: configuration error: events.store: memory lives inside a running serve, so "
                        + "tollgate alerts would see none of its events; alerts and cleanup need a store shared "
                        + "with serve, such as postgres (events.store: postgres) or a third-party store" + NL);
        assertThat(run.out()).isEmpty();
        assertThat(webhook.requests()).isEmpty();
        assertThat(smtp.messages()).isEmpty();
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
