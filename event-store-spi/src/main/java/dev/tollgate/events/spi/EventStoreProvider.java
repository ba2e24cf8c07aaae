package dev.tollgate.events.spi;

import dev.tollgate.events.EventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * Opens {@link EventStore}s of one kind: {@code memory}, {@code postgres}, a third party's.
 *
 * <p>An implementation:
 * <ol>
 *   <li>has a public no-argument constructor and is listed in
 *       {@code META-INF/services/dev.tollgate.events.spi.EventStoreProvider}, or is registered by code
 *       with {@link dev.tollgate.events.EventStoreRegistry#register};</li>
 *   <li>answers {@link #name()} with a constant, lower-case name, the one configurations use
 *       ({@code events.store: memory});</li>
 *   <li>reads its settings from the {@code config} it is given, the store's own section of the
 *       configuration ({@code events.memory}), applies a default to every absent key, and fails the
 *       future of {@link #open} with an {@link dev.tollgate.events.EventStoreException} naming the key
 *       and what would be valid when one is wrong;</li>
 *   <li>fails that future, promptly and with a message naming what it tried, when the store cannot be
 *       reached; it does blocking work (a migration) on a worker, never on an event loop;</li>
 *   <li>opens stores that keep every rule of {@link EventStore}, read all time from the given
 *       {@link Clock}, and pass the contract suite
 *       ({@code dev.tollgate.events.EventStoreContract} in the test-jar of this module).</li>
 * </ol>
 */
public interface EventStoreProvider {

    /** The store's name, as configurations spell it. */
    String name();

    /** Opens a store configured by {@code config} that reads the time from {@code clock}. */
    Future<EventStore> open(Vertx vertx, JsonObject config, Clock clock);

    /** Opens a store configured by {@code config} on the system's UTC clock. */
    default Future<EventStore> open(Vertx vertx, JsonObject config) {
        return open(vertx, config, Clock.systemUTC());
    }
}
