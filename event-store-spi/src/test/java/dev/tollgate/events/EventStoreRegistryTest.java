package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreRegistryTest {

    /**
     * A provider of reference stores under the name {@code scanning}, for registration by class path or code.
     * The stores have no settings.
     */
    public static final class ScanningProvider implements EventStoreProvider {

        @Override
        public String name() {
            return "scanning";
        }

        @Override
        public Future<EventStore> create(Vertx vertx, Settings settings, Clock clock) {
            settings.requireOnly("scanning event store", Set.of());
            return Future.succeededFuture(new ScanningEventStore(clock));
        }
    }

    private static final class Named implements EventStoreProvider {

        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Future<EventStore> create(Vertx vertx, Settings settings, Clock clock) {
            return Future.failedFuture(new EventStoreException(name + " is not reachable"));
        }
    }

    @Test
    void findsProvidersListedOnTheClassPath(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(
                services.resolve(EventStoreProvider.class.getName()), ScanningProvider.class.getName() + "\n");

        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            EventStoreRegistry registry = EventStoreRegistry.fromServiceLoader(loader);

            assertThat(registry.names()).containsExactly("scanning");
            assertThat(registry.require("scanning")).isInstanceOf(ScanningProvider.class);
        }
    }

    @Test
    void opensAStoreByNameOnTheGivenClock() throws Exception {
        MutableClock clock = MutableClock.at(Instant.parse("2026-03-15T12:00:00Z"));
        EventStoreRegistry registry = EventStoreRegistry.empty().register(new ScanningProvider());

        EventStore store = registry.create("scanning", null, Settings.empty("events.scanning"), clock)
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        store.append(List.of(RateLimitEvent.builder()
                .timestamp(clock.instant().minusSeconds(90_000))
                .key("k")
                .path("/")
                .method("GET")
                .build()));

        assertThat(store.trafficSummary(1).result().total()).isZero();
        clock.set(clock.instant().minusSeconds(10_000));
        assertThat(store.trafficSummary(1).result().total()).isEqualTo(1);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        EventStoreRegistry registry =
                EventStoreRegistry.empty().register(new Named("postgres")).register(new Named("memory"));

        assertThatThrownBy(() -> registry.require("mongo"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("unknown event store 'mongo'; installed: memory, postgres");
        assertThatThrownBy(() -> registry.create("mongo", null, Settings.empty("events.mongo"), Clock.systemUTC()))
                .isInstanceOfSatisfying(
                        SettingsException.class,
                        e -> assertThat(e.under("events.store").getMessage())
                                .isEqualTo("events.store: unknown event store 'mongo'; installed: memory, postgres"));
    }

    @Test
    void aStoreThatCannotBeReachedFailsTheFuture() {
        EventStoreRegistry registry = EventStoreRegistry.empty().register(new Named("postgres"));

        Future<EventStore> opened =
                registry.create("postgres", null, Settings.empty("events.postgres"), Clock.systemUTC());

        assertThat(opened.failed()).isTrue();
        assertThat(opened.cause()).isInstanceOf(EventStoreException.class).hasMessage("postgres is not reachable");
    }

    @Test
    void aSettingTheStoreCannotUseIsRefusedNamingItsFullKey() {
        EventStoreRegistry registry = EventStoreRegistry.empty().register(new ScanningProvider());
        Settings section = Settings.of("events.scanning", new JsonObject().put("size", 3));

        assertThatThrownBy(() -> registry.create("scanning", null, section, Clock.systemUTC()))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.scanning.size: unknown setting of the scanning event store");
    }

    @Test
    void anEmptyRegistrySaysWhatIsMissing() {
        assertThatThrownBy(() -> EventStoreRegistry.empty().require("memory"))
                .hasMessage("unknown event store 'memory'; installed: (none; is a store module such as"
                        + " tollgate-store-memory on the classpath?)");
    }

    @Test
    void anExplicitRegistrationReplacesOneOfTheSameName() {
        Named replacement = new Named("scanning");
        EventStoreRegistry registry =
                EventStoreRegistry.empty().register(new ScanningProvider()).register(replacement);

        assertThat(registry.find("scanning")).containsSame(replacement);
        assertThat(registry.find("other")).isEmpty();
    }
}
