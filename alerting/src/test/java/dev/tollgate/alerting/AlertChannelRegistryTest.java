package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertChannelRegistryTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    /** A provider whose channels accept everything and remember nothing. */
    private record Named(String name) implements AlertChannelProvider {
        @Override
        public AlertChannel create(Vertx vertx, Settings settings) {
            if (settings.has("broken")) {
                throw new IllegalStateException("cannot parse " + settings.value("broken"));
            }
            if (settings.has("relative")) {
                throw new SettingsException("relative", "named without its section");
            }
            return new AlertChannel() {
                @Override
                public Future<JsonObject> send(Alert alert) {
                    return Future.succeededFuture(new JsonObject().put("by", name));
                }

                @Override
                public Future<Void> close() {
                    return Future.succeededFuture();
                }
            };
        }
    }

    @Test
    void theServiceLoaderFindsTheShippedChannels() {
        assertThat(AlertChannelRegistry.fromServiceLoader().names()).contains("email", "log", "webhook");
    }

    @Test
    void anUnknownChannelIsAConfigurationErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> AlertChannelRegistry.fromServiceLoader()
                        .create("sms", vertx, Settings.empty("alerts.channels.sms")))
                .isInstanceOfSatisfying(SettingsException.class, e -> {
                    assertThat(e.key()).isEqualTo("alerts.channels.sms");
                    assertThat(e.getMessage())
                            .isEqualTo("alerts.channels.sms: unknown alert channel 'sms'; installed: "
                                    + "email, log, webhook");
                });
        assertThatThrownBy(
                        () -> AlertChannelRegistry.empty().create("log", vertx, Settings.empty("alerts.channels.log")))
                .hasMessageContaining("installed: (none; is tollgate-alerting on the classpath?)");
    }

    @Test
    void aBadSettingIsNamedUnderTheChannelsSection() {
        JsonObject channels =
                new JsonObject().put("log", new JsonObject()).put("webhook", new JsonObject().put("url", "nowhere"));

        assertThatThrownBy(() -> AlertChannelRegistry.fromServiceLoader().open(vertx, section(channels)))
                .isInstanceOfSatisfying(
                        SettingsException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo(
                                        "alerts.channels.webhook.url: expected an http:// or https:// URL with a host, got 'nowhere'"));
    }

    @Test
    void aChannelSectionMustBeAGroupOfSettingsOrEmpty() {
        AlertChannelRegistry registry = AlertChannelRegistry.fromServiceLoader();

        assertThat(registry.open(vertx, section(new JsonObject().putNull("log")))
                        .names())
                .containsExactly("log");
        assertThatThrownBy(() -> registry.open(vertx, section(new JsonObject().put("log", true))))
                .isInstanceOfSatisfying(SettingsException.class, e -> {
                    assertThat(e.key()).isEqualTo("alerts.channels.log");
                    assertThat(e.getMessage())
                            .isEqualTo("alerts.channels.log: expected the settings of the 'log' channel, as in "
                                    + "alerts.channels.log: { ... }, got true");
                });
    }

    @Test
    void explicitRegistrationAddsAndReplacesProviders() {
        AlertChannelRegistry registry = AlertChannelRegistry.fromServiceLoader()
                .register(new Named("pager"))
                .register(new Named("log"));

        AlertChannels channels = registry.open(
                vertx, section(new JsonObject().put("pager", new JsonObject()).put("log", new JsonObject())));

        assertThat(channels.names()).containsExactly("pager", "log");
        assertThat(await(channels.send(uniqueAlert())).get("log").details())
                .isEqualTo(new JsonObject().put("by", "log"));
    }

    @Test
    void aProviderThatThrowsSomethingElseStillGivesAConfigurationError() {
        AlertChannelRegistry registry = AlertChannelRegistry.empty().register(new Named("pager"));

        assertThatThrownBy(() -> registry.create(
                        "pager", vertx, Settings.of("alerts.channels.pager", new JsonObject().put("broken", "x"))))
                .isInstanceOfSatisfying(
                        SettingsException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo(
                                        "alerts.channels.pager: the 'pager' channel refused its settings: cannot parse x"));
    }

    @Test
    void aKeyAProviderNamesWithoutItsSectionIsPlacedUnderIt() {
        AlertChannelRegistry registry = AlertChannelRegistry.empty().register(new Named("pager"));

        assertThatThrownBy(() -> registry.open(
                        vertx, section(new JsonObject().put("pager", new JsonObject().put("relative", true)))))
                .isInstanceOfSatisfying(
                        SettingsException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo("alerts.channels.pager.relative: named without its section"));
    }

    @Test
    void theSectionSaysWhereErrorsAreNamed() {
        assertThatThrownBy(() -> AlertChannelRegistry.fromServiceLoader()
                        .open(
                                vertx,
                                Settings.of(
                                        "monitor.channels",
                                        new JsonObject().put("log", new JsonObject().put("level", "loud")))))
                .hasMessage("monitor.channels.log.level: expected SEVERE, WARNING or INFO, got 'LOUD'");
    }

    /** {@code channels} where Tollgate's configuration has them. */
    private static Settings section(JsonObject channels) {
        return Settings.of("alerts.channels", channels);
    }

    static Alert uniqueAlert() {
        return new Alert(
                "test", java.time.Instant.now(), "subject " + java.util.UUID.randomUUID(), "text", new JsonObject());
    }
}
