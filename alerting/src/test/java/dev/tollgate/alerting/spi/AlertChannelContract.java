package dev.tollgate.alerting.spi;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tollgate.alerting.Alert;
import dev.tollgate.alerting.AlertChannelRegistry;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every {@link AlertChannel} and its {@link AlertChannelProvider} owe. A channel's test
 * extends this class, starts a destination that receives alerts (an SMTP server, an HTTP server, a
 * file) and says how to configure the channel for it, how to tell that an alert arrived, and — where
 * there is one — a configuration whose destination cannot be reached. One {@link Vertx} serves the
 * class; it is ready in the subclass's own {@code @BeforeAll}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AlertChannelContract {

    protected Vertx vertx;
    private final List<AlertChannel> opened = new ArrayList<>();

    /** The provider under test. */
    protected abstract AlertChannelProvider provider();

    /** Settings that send to the destination the test started. */
    protected abstract JsonObject workingConfig();

    /** Whether the destination has received {@code alert}; polled until it says so. */
    protected abstract boolean received(Alert alert);

    /** Settings whose destination refuses or never answers, with a short timeout; none by default. */
    protected Optional<JsonObject> unreachableConfig() {
        return Optional.empty();
    }

    @BeforeAll
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeChannels() {
        opened.forEach(channel -> await(channel.close()));
        opened.clear();
    }

    @AfterAll
    void stopVertx() {
        Await.close(vertx);
    }

    /** A channel of the provider under test, closed after the test. */
    protected AlertChannel channel(JsonObject config) {
        AlertChannel channel = provider().create(vertx, config);
        opened.add(channel);
        return channel;
    }

    /** An alert whose subject no other test uses. */
    protected static Alert uniqueAlert() {
        String id = UUID.randomUUID().toString();
        return new Alert(
                "contract-test",
                Instant.parse("2026-03-15T12:34:56.789Z"),
                "[tollgate] contract " + id,
                "line one of " + id + "\nline two",
                new JsonObject().put("id", id).put("n", 1));
    }

    @Test
    void theProviderHasAConstantLowerCaseName() {
        assertThat(provider().name())
                .matches("[a-z0-9][a-z0-9-]*")
                .isEqualTo(provider().name());
    }

    @Test
    void theServiceLoaderFindsTheProviderByItsName() {
        assertThat(AlertChannelRegistry.fromServiceLoader().find(provider().name()))
                .get()
                .isInstanceOf(provider().getClass());
    }

    @Test
    void anUnknownSettingIsRefusedByName() {
        JsonObject config = workingConfig().put("noSuchSetting", true);

        assertThatThrownBy(() -> channel(config))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo("noSuchSetting"));
    }

    @Test
    void aSentAlertArrives() {
        Alert alert = uniqueAlert();

        JsonObject details = await(channel(workingConfig()).send(alert));

        assertThat(details).isNotNull();
        Await.until(() -> received(alert), "the alert at its destination");
    }

    @Test
    void alertsSentAtOnceFromSeveralThreadsAllArrive() throws Exception {
        AlertChannel channel = channel(workingConfig());
        List<Alert> alerts = new ArrayList<>();
        List<CompletableFuture<Future<JsonObject>>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Alert alert = uniqueAlert();
            alerts.add(alert);
            sends.add(CompletableFuture.supplyAsync(() -> channel.send(alert)));
        }
        for (CompletableFuture<Future<JsonObject>> send : sends) {
            await(send.get(30, TimeUnit.SECONDS));
        }

        for (Alert alert : alerts) {
            Await.until(() -> received(alert), "every alert at its destination");
        }
    }

    @Test
    void anUnreachableDestinationFailsTheFutureWithAMessage() {
        Optional<JsonObject> config = unreachableConfig();
        assumeThat(config)
                .as("the channel has a destination that can be unreachable")
                .isPresent();
        AlertChannel channel = channel(config.get());

        Future<JsonObject> sent = channel.send(uniqueAlert());

        assertThatThrownBy(() -> await(sent))
                .isInstanceOf(IllegalStateException.class)
                .cause()
                .satisfies(cause -> assertThat(cause.getMessage()).isNotBlank().doesNotContain("\n"));
    }

    @Test
    void aClosedChannelFailsInsteadOfThrowing() {
        AlertChannel channel = channel(workingConfig());
        await(channel.close());
        await(channel.close());

        Future<JsonObject> sent = channel.send(uniqueAlert());

        assertThatThrownBy(() -> await(sent)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAlertWithAnEmptyBodyAndUnicodeTextIsSent() {
        Alert alert = new Alert(
                "contract-test",
                Instant.now(),
                "[tollgate] ünïcødé " + UUID.randomUUID(),
                "Zoë's “quoted” text — ✓",
                new JsonObject());

        await(channel(workingConfig()).send(alert));

        Await.until(() -> received(alert), "the alert at its destination");
    }
}
