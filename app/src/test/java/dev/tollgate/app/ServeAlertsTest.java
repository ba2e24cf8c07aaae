package dev.tollgate.app;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.alerting.WebhookReceiver;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeAlertsTest {

    @TempDir
    Path dir;

    private Vertx peer;
    private Vertx tollgateVertx;
    private WebhookReceiver webhook;
    private Server server;

    @BeforeEach
    void setUp() {
        peer = Vertx.vertx();
        tollgateVertx = Vertx.vertx();
        webhook = WebhookReceiver.start(peer);
    }

    @AfterEach
    void tearDown() {
        try {
            if (server != null) {
                await(server.stop());
            }
            webhook.close();
        } finally {
            Await.close(tollgateVertx, peer);
        }
    }

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Future<Server> start(Path file) {
        ConfigLoader loader = ServeCommand.loader();
        return Server.start(tollgateVertx, loader.load(Optional.of(file), Map.of()), loader, false);
    }

    private Optional<WebhookReceiver.Request> received(String type) {
        return webhook.requests().stream()
                .filter(r -> type.equals(r.header("X-Tollgate-Alert")))
                .findFirst();
    }

    @Test
    void serveRunsOffenderAlertsOnItsScheduleAndRaisesTrafficAlerts() throws IOException {
        server = await(start(config("""
                http: { host: 127.0.0.1, port: 0 }
                rules: [ { name: api, path: "/api/*", algorithm: fixed-window, limit: 1, window: 1h } ]
                events: { batchSize: 1, flushInterval: 50ms }
                alerts:
                  threshold: 2
                  every: 200ms
                  channels: { webhook: { url: "%s" } }
                  traffic: { threshold: 1, window: 2s }
                """.formatted(webhook.url()))));
        WebClient client = WebClient.create(peer);

        for (int i = 0; i < 4; i++) {
            await(client.get(server.port(), "127.0.0.1", "/api/items").send());
        }

        Await.until(() -> received("offenders").isPresent(), "the scheduled offender alert");
        JsonObject offenders = received("offenders").get().json();
        assertThat(offenders.getLong("threshold")).isEqualTo(2);
        assertThat(offenders.getJsonArray("offenders")).hasSize(1);
        assertThat(offenders.getJsonArray("offenders").getJsonObject(0).getString("key"))
                .isEqualTo("ip:127.0.0.1");
        assertThat(offenders.getJsonArray("offenders").getJsonObject(0).getLong("blocked_count"))
                .isBetween(2L, 3L);

        Await.until(() -> received("traffic-high").isPresent(), "the high-traffic alert");
        assertThat(received("traffic-high").get().json().getLong("window")).isEqualTo(2);
        Await.until(() -> received("traffic-recovered").isPresent(), "the recovery once the requests stop");
        assertThat(webhook.requests().stream()
                        .filter(r -> "offenders".equals(r.header("X-Tollgate-Alert")))
                        .count())
                .as("the cooldown keeps the offender from being alerted on every run")
                .isEqualTo(1);
    }

    @Test
    void aBadChannelStopsServeWithAConfigurationError() throws IOException {
        Path file = config("""
                http: { host: 127.0.0.1, port: 0 }
                alerts: { threshold: 5, channels: { sms: { to: "+100" } } }
                """);

        assertThatThrownBy(() -> await(start(file)))
                .hasCauseInstanceOf(SettingsException.class)
                .cause()
                .hasMessage("alerts.channels.sms: unknown alert channel 'sms'; installed: email, log, webhook");

        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"serve", "--config", file.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("tollgate: configuration error: alerts.channels.sms: unknown alert channel "
                        + "'sms'; installed: email, log, webhook" + System.lineSeparator());
    }
}
