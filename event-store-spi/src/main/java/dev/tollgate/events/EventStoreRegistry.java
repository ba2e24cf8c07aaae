package dev.tollgate.events;

import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.ProviderRegistry;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;

/**
 * The known {@link EventStoreProvider}s, by name: a {@link ProviderRegistry} of event stores. Filled from
 * {@link ServiceLoader} and by explicit {@link #register registration}; an explicitly registered provider
 * replaces a loaded one of the same name. Thread-safe.
 */
public final class EventStoreRegistry {

    private static final String KIND = "event store";
    private static final String HINT = "is a store module such as tollgate-store-memory on the classpath?";

    private final ProviderRegistry<EventStoreProvider> providers;

    private EventStoreRegistry(ProviderRegistry<EventStoreProvider> providers) {
        this.providers = providers;
    }

    /** A registry with no providers. */
    public static EventStoreRegistry empty() {
        return new EventStoreRegistry(ProviderRegistry.empty(KIND, HINT));
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through this class's loader. */
    public static EventStoreRegistry fromServiceLoader() {
        return fromServiceLoader(EventStoreRegistry.class.getClassLoader());
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through {@code loader}. */
    public static EventStoreRegistry fromServiceLoader(ClassLoader loader) {
        return new EventStoreRegistry(ProviderRegistry.load(EventStoreProvider.class, loader, KIND, HINT));
    }

    /** Adds {@code provider}, replacing any provider of the same name. */
    public EventStoreRegistry register(EventStoreProvider provider) {
        providers.register(provider);
        return this;
    }

    /** The provider named {@code name}, if one is known. */
    public Optional<EventStoreProvider> find(String name) {
        return providers.find(name);
    }

    /**
     * The provider named {@code name}.
     *
     * @throws SettingsException for an unknown name, saying which stores are known
     *     ({@code unknown event store 'mongo'; installed: memory, postgres}), with an empty key for the caller to
     *     place {@linkplain SettingsException#under under} the key that named the store ({@code events.store})
     */
    public EventStoreProvider require(String name) {
        return providers.require(name);
    }

    /**
     * Creates the store named {@code name}, configured by {@code settings} (its own section), on {@code clock}.
     *
     * @return the open store, or a failed future when it cannot be reached or prepared
     * @throws SettingsException for an unknown name, as {@link #require} does, or naming the full key of a
     *     setting the store does not know or cannot use
     */
    public Future<EventStore> create(String name, Vertx vertx, Settings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        return require(name).create(vertx, settings, clock);
    }

    /** The names of the known stores, sorted. */
    public SortedSet<String> names() {
        return providers.names();
    }
}
