package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannelContract;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.test.support.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmailChannelTest extends AlertChannelContract {

    private SmtpReceiver smtp;

    @BeforeAll
    void startSmtp() {
        smtp = SmtpReceiver.start();
    }

    @AfterAll
    void stopSmtp() {
        smtp.close();
    }

    @Override
    protected AlertChannelProvider provider() {
        return new EmailChannelProvider();
    }

    @Override
    protected JsonObject workingConfig() {
        return new JsonObject()
                .put("to", new JsonArray().add("ops@example.com").add("security@example.com"))
                .put("from", "tollgate@example.com")
                .put("smtp", new JsonObject().put("host", "127.0.0.1").put("port", smtp.port()));
    }

    @Override
    protected boolean received(Alert alert) {
        return smtp.messages().stream().anyMatch(message -> message.subject().equals(alert.subject()));
    }

    @Override
    protected Optional<JsonObject> unreachableConfig() {
        return Optional.of(workingConfig()
                .put(
                        "smtp",
                        new JsonObject()
                                .put("host", "127.0.0.1")
                                .put("port", closedPort())
                                .put("timeout", "5s")));
    }

    @Test
    void theMessageHasTheAlertsSubjectAndTextAndGoesToEveryRecipient() {
        Alert alert = new Alert(
                "offenders",
                Instant.now(),
                "[tollgate] 2 offender(s) alert",
                "2 rate-limit offender(s) exceeded 5 blocked requests in the last 1 day(s):\n\nip:a: 9 blocked\nip:b: 5 blocked",
                new JsonObject());

        JsonObject details = await(channel(workingConfig()).send(alert));

        assertThat(details.getJsonArray("recipients")).containsExactly("ops@example.com", "security@example.com");
        Await.until(() -> received(alert), "the message");
        SmtpReceiver.Message message = smtp.messages().stream()
                .filter(m -> m.subject().equals(alert.subject()))
                .findFirst()
                .orElseThrow();
        assertThat(message.from()).isEqualTo("tollgate@example.com");
        assertThat(message.to()).containsExactly("ops@example.com", "security@example.com");
        assertThat(message.text().stripTrailing()).isEqualTo(alert.text());
    }

    @Test
    void tlsFromTheFirstByteReachesAnSmtpsServer() {
        try (SmtpReceiver smtps = SmtpReceiver.startTls()) {
            Alert alert = uniqueAlert();

            await(channel(workingConfig()
                            .put(
                                    "smtp",
                                    new JsonObject()
                                            .put("host", "127.0.0.1")
                                            .put("port", smtps.port())
                                            .put("tls", true)
                                            .put("trustAll", true)))
                    .send(alert));

            Await.until(
                    () -> smtps.messages().stream().anyMatch(m -> m.subject().equals(alert.subject())), "the message");
        }
    }

    @Test
    void aServerCertificateThatIsNotTrustedFailsTheSend() {
        try (SmtpReceiver smtps = SmtpReceiver.startTls()) {
            JsonObject config = workingConfig()
                    .put(
                            "smtp",
                            new JsonObject()
                                    .put("host", "127.0.0.1")
                                    .put("port", smtps.port())
                                    .put("tls", true)
                                    .put("timeout", "5s"));

            assertThatThrownBy(() -> await(channel(config).send(uniqueAlert())))
                    .cause()
                    .isInstanceOf(AlertingException.class)
                    .hasMessageStartingWith("SMTP server 127.0.0.1:" + smtps.port() + ": ");
        }
    }

    @Test
    void aLoginWithTheRightPasswordSendsAndAWrongOneFails() {
        try (SmtpReceiver guarded = SmtpReceiver.startWithLogin("alerts", "s3cret")) {
            JsonObject smtpSettings = new JsonObject()
                    .put("host", "127.0.0.1")
                    .put("port", guarded.port())
                    .put("username", "alerts");
            Alert alert = uniqueAlert();

            await(channel(workingConfig().put("smtp", smtpSettings.copy().put("password", "s3cret")))
                    .send(alert));
            Await.until(
                    () -> guarded.messages().stream().anyMatch(m -> m.subject().equals(alert.subject())),
                    "the message");

            assertThatThrownBy(() -> await(channel(workingConfig()
                                    .put("smtp", smtpSettings.copy().put("password", "wrong")))
                            .send(uniqueAlert())))
                    .cause()
                    .isInstanceOf(AlertingException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong"));
        }
    }

    @Test
    void aRefusedConnectionIsReportedWithTheServer() {
        int port = closedPort();
        JsonObject config = workingConfig()
                .put("smtp", new JsonObject().put("host", "127.0.0.1").put("port", port));

        assertThatThrownBy(() -> await(channel(config).send(uniqueAlert())))
                .cause()
                .isInstanceOf(AlertingException.class)
                .hasMessageStartingWith("SMTP server 127.0.0.1:" + port + ": ")
                .hasMessageContaining("refused");
    }

    @Test
    void aServerThatNeverAnswersFailsAfterTheTimeout() {
        NetServer mute =
                await(vertx.createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1"));
        try {
            JsonObject config = workingConfig()
                    .put(
                            "smtp",
                            new JsonObject()
                                    .put("host", "127.0.0.1")
                                    .put("port", mute.actualPort())
                                    .put("timeout", "300ms"));

            assertThatThrownBy(() -> await(channel(config).send(uniqueAlert())))
                    .cause()
                    .isInstanceOf(AlertingException.class)
                    .hasMessage("no answer from the SMTP server 127.0.0.1:" + mute.actualPort() + " within 300 ms");
        } finally {
            await(mute.close());
        }
    }

    @Test
    void settingsBecomeTheMailClientsConfiguration() {
        MailConfig plain = EmailChannelProvider.options(settings(new JsonObject().put("to", "ops@example.com")))
                .mail();
        assertThat(plain.getHostname()).isEqualTo("localhost");
        assertThat(plain.getPort()).isEqualTo(25);
        assertThat(plain.getStarttls()).isEqualTo(StartTLSOptions.OPTIONAL);
        assertThat(plain.isSsl()).isFalse();
        assertThat(plain.getLogin()).isEqualTo(LoginOption.DISABLED);

        EmailChannel.Options full = EmailChannelProvider.options(settings(new JsonObject()
                .put("to", "ops@example.com, security@example.com")
                .put("from", "gate@example.com")
                .put(
                        "smtp",
                        new JsonObject()
                                .put("host", "mail.example.com")
                                .put("port", "587")
                                .put("starttls", "required")
                                .put("username", "alerts")
                                .put("password", "s3cret"))));
        assertThat(full.to()).containsExactly("ops@example.com", "security@example.com");
        assertThat(full.from()).isEqualTo("gate@example.com");
        assertThat(full.mail().getHostname()).isEqualTo("mail.example.com");
        assertThat(full.mail().getPort()).isEqualTo(587);
        assertThat(full.mail().getStarttls()).isEqualTo(StartTLSOptions.REQUIRED);
        assertThat(full.mail().getLogin()).isEqualTo(LoginOption.REQUIRED);
        assertThat(full.mail().getUsername()).isEqualTo("alerts");
        assertThat(full.mail().getPassword()).isEqualTo("s3cret");

        MailConfig tls = EmailChannelProvider.options(settings(new JsonObject()
                        .put("to", List.of("ops@example.com"))
                        .put("smtp", new JsonObject().put("tls", true))))
                .mail();
        assertThat(tls.isSsl()).isTrue();
        assertThat(tls.getPort()).isEqualTo(465);
        assertThat(tls.getStarttls()).isEqualTo(StartTLSOptions.DISABLED);
    }

    @Test
    void badSettingsNameTheirFullKey() {
        assertRefused(
                new JsonObject(),
                "to",
                "alerts.channels.email.to: required: the recipients, as in to: [ops@example.com]");
        assertRefused(
                new JsonObject().put("to", "not-an-address"),
                "to",
                "alerts.channels.email.to: expected an email address such as ops@example.com, got 'not-an-address'");
        assertRefused(
                new JsonObject().put("to", "ops@example.com").put("from", "nobody"),
                "from",
                "alerts.channels.email.from: expected an email address such as ops@example.com, got 'nobody'");
        assertRefused(
                settingsWithSmtp(new JsonObject().put("port", 70_000)),
                "smtp.port",
                "alerts.channels.email.smtp.port: expected a port between 1 and 65535, got '70000'");
        assertRefused(
                settingsWithSmtp(new JsonObject().put("starttls", "sometimes")),
                "smtp.starttls",
                "alerts.channels.email.smtp.starttls: expected one of DISABLED, OPTIONAL, REQUIRED, got 'sometimes'");
        assertRefused(
                settingsWithSmtp(new JsonObject().put("username", "alerts")),
                "smtp.password",
                "alerts.channels.email.smtp.password: a login needs both smtp.username and smtp.password");
        assertRefused(
                settingsWithSmtp(new JsonObject().put("password", "s3cret")),
                "smtp.username",
                "alerts.channels.email.smtp.username: a login needs both smtp.username and smtp.password");
        assertRefused(
                settingsWithSmtp(new JsonObject().put("hostname", "x")),
                "smtp.hostname",
                "alerts.channels.email.smtp.hostname: unknown setting of the SMTP settings; known: host, password, "
                        + "port, starttls, timeout, tls, trustAll, username");
        assertRefused(settingsWithSmtp(new JsonObject().put("timeout", "soon")), "smtp.timeout");
        assertRefused(new JsonObject().put("to", "ops@example.com").put("smtp", "localhost"), "smtp");
    }

    private static JsonObject settingsWithSmtp(JsonObject smtp) {
        return new JsonObject().put("to", "ops@example.com").put("smtp", smtp);
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
