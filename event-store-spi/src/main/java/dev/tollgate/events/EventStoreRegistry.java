package dev.tollgate.events;

import dev.tollgate.events.spi.EventStoreProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The known {@link EventStoreProvider}s, by name. Filled from {@link ServiceLoader} and by explicit
 * {@link #register registration}; an explicitly registered provider replaces a loaded one of the same
 * name. Thread-safe.
 */
public final class EventStoreRegistry {

    private final Map<String, EventStoreProvider> byName = new ConcurrentHashMap<>();

    private EventStoreRegistry() {}

    /** A registry with no providers. */
    public static EventStoreRegistry empty() {
        return new EventStoreRegistry();
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through this class's loader. */
    public static EventStoreRegistry fromServiceLoader() {
        return fromServiceLoader(EventStoreRegistry.class.getClassLoader());
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through {@code loader}. */
    public static EventStoreRegistry fromServiceLoader(ClassLoader loader) {
        EventStoreRegistry registry = new EventStoreRegistry();
        ServiceLoader.load(EventStoreProvider.class, loader).forEach(registry::register);
        return registry;
    }

    /** Adds {@code provider}, replacing any provider of the same name. */
    public EventStoreRegistry register(EventStoreProvider provider) {
        Objects.requireNonNull(provider, "provider");
        byName.put(provider.name(), provider);
        return this;
    }

    /** The provider named {@code name}, if one is known. */
    public Optional<EventStoreProvider> find(String name) {
        return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * The provider named {@code name}.
     *
     * @throws EventStoreException naming the known stores when there is none
     */
    public EventStoreProvider provider(String name) {
        return find(name)
                .orElseThrow(
                        () -> new EventStoreException("unknown event store '" + name + "'; known: " + list(names())));
    }

    /**
     * Opens the store named {@code name} with its {@code config}, on {@code clock}. An unknown name fails
     * the future with an {@link EventStoreException} naming the known stores.
     */
    public Future<EventStore> open(String name, Vertx vertx, JsonObject config, Clock clock) {
        EventStoreProvider provider;
        try {
            provider = provider(name);
        } catch (EventStoreException e) {
            return Future.failedFuture(e);
        }
        return provider.open(vertx, config, clock);
    }

    /** The names of the known stores, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    private static String list(SortedSet<String> names) {
        return names.isEmpty()
                ? "(none; is a store module such as tollgate-store-memory on the classpath?)"
                : String.join(", ", names);
    }
}
