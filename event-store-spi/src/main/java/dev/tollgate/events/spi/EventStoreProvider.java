package dev.tollgate.events.spi;

import dev.tollgate.events.EventStore;
import dev.tollgate.plugin.Provider;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Creates {@link EventStore}s of one kind: {@code memory}, {@code postgres}, a third party's.
 *
 * <p>An implementation:
 * <ol>
 *   <li>has a public no-argument constructor and is listed in
 *       {@code META-INF/services/dev.tollgate.events.spi.EventStoreProvider}, or is registered by code
 *       with {@link dev.tollgate.events.EventStoreRegistry#register};</li>
 *   <li>answers {@link #name()} with a constant, lower-case name, the one configurations use
 *       ({@code events.store: memory});</li>
 *   <li>reads its settings from the {@link Settings} it is given, the store's own section of the
 *       configuration, without assuming where that section is ({@code events.memory} in Tollgate's file);
 *       applies a default to every absent key; and refuses a key it does not know, or a value it cannot
 *       use, by throwing a {@link SettingsException} from {@link #create} that names the full key
 *       ({@code events.memory.maxEvents: ...}), before doing any I/O;</li>
 *   <li>fails the future {@link #create} returns, promptly and with an
 *       {@link dev.tollgate.events.EventStoreException} naming what it tried, when the store cannot be
 *       reached or prepared; it does blocking work (a migration) on a worker, never on an event loop;</li>
 *   <li>is thread-safe: one provider creates many stores, from any thread;</li>
 *   <li>creates stores that keep every rule of {@link EventStore}, read all time from the given
 *       {@link Clock}, and pass the contract suite
 *       ({@code dev.tollgate.events.EventStoreContract} in the test-jar of this module);</li>
 *   <li>answers {@link #shared()} {@code false} when its stores live inside the process that opens them, so
 *       that another process (a {@code tollgate alerts} cron job beside {@code serve}) would see none of their
 *       events.</li>
 * </ol>
 */
public interface EventStoreProvider extends Provider {

    /**
     * Creates a store configured by {@code settings} that reads the time from {@code clock}.
     *
     * @return the open store, or a failed future when it cannot be reached or prepared
     * @throws SettingsException naming the full key of a setting the store does not know or cannot use
     */
    Future<EventStore> create(Vertx vertx, Settings settings, Clock clock);

    /**
     * Creates a store configured by {@code settings} on the system's UTC clock.
     *
     * @throws SettingsException naming the full key of a setting the store does not know or cannot use
     */
    default Future<EventStore> create(Vertx vertx, Settings settings) {
        return create(vertx, settings, Clock.systemUTC());
    }

    /**
     * Whether the stores of this kind are shared between processes, so that events one process appends are
     * seen by another that opens a store with the same settings (a database is; an in-process memory store
     * is not). Commands that run beside {@code serve} refuse a store that is not shared. The default is
     * {@code true}.
     */
    default boolean shared() {
        return true;
    }
}
