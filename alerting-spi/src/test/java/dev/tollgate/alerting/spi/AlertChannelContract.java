package dev.tollgate.alerting.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tollgate.plugin.ProviderRegistry;
import dev.tollgate.plugin.Settings;
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
import java.util.function.BooleanSupplier;
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
 * class; it is ready in the subclass's own {@code @BeforeAll}. The channel's section is given to the
 * provider at {@link #prefix()}, where Tollgate places it.
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

    /** Where the channel's section is in the configuration: {@code alerts.channels.NAME}. */
    protected String prefix() {
        return "alerts.channels." + provider().name();
    }

    /** {@code config} as the channel's section, at {@link #prefix()}. */
    protected Settings settings(JsonObject config) {
        return Settings.of(prefix(), config);
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

    /** A channel of the provider under test configured by {@code config}, closed after the test. */
    protected AlertChannel channel(JsonObject config) {
        return channel(settings(config));
    }

    /** A channel of the provider under test configured by {@code settings}, closed after the test. */
    protected AlertChannel channel(Settings settings) {
        AlertChannel channel = provider().create(vertx, settings);
        opened.add(channel);
        return channel;
    }

    /**
     * Asserts that the provider refuses {@code config} with a {@link SettingsException} at {@code key}, a key
     * of the channel's section ({@code smtp.port}), named in full ({@code alerts.channels.email.smtp.port}).
     */
    protected void assertRefused(JsonObject config, String key) {
        refusal(config, key);
    }

    /** As {@link #assertRefused(JsonObject, String)}, with {@code message}, the whole message, full key first. */
    protected void assertRefused(JsonObject config, String key, String message) {
        assertThat(refusal(config, key).getMessage()).isEqualTo(message);
    }

    private SettingsException refusal(JsonObject config, String key) {
        Settings settings = settings(config);
        Throwable thrown = catchThrowable(() -> channel(settings));
        assertThat(thrown).isInstanceOf(SettingsException.class);
        SettingsException refused = (SettingsException) thrown;
        assertThat(refused.key()).isEqualTo(settings.key(key));
        return refused;
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
        ProviderRegistry<AlertChannelProvider> loaded = ProviderRegistry.load(
                AlertChannelProvider.class,
                AlertChannelProvider.class.getClassLoader(),
                "alert channel",
                "is the provider listed in META-INF/services?");

        assertThat(loaded.find(provider().name())).get().isInstanceOf(provider().getClass());
    }

    @Test
    void anUnknownSettingIsRefusedByItsFullKey() {
        assertRefused(workingConfig().put("noSuchSetting", true), "noSuchSetting");

        Settings elsewhere = Settings.of("elsewhere", workingConfig().put("noSuchSetting", true));
        assertThatThrownBy(() -> channel(elsewhere))
                .as("the key is named where the section is, wherever that is")
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo("elsewhere.noSuchSetting"));
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

        eventually(() -> received(alert), "the alert at its destination");
    }

    /** The result of {@code future}, as {@link Await#await} waits for it. */
    protected static <T> T await(Future<T> future) {
        return Await.await(future);
    }

    /** Polls {@code condition} until it holds, as {@link Await#until} does. */
    protected static void eventually(BooleanSupplier condition, String what) {
        Await.until(condition, what);
    }
}
