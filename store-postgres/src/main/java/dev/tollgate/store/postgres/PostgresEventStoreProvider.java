package dev.tollgate.store.postgres;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;

/**
 * Creates PostgreSQL event stores: {@code events.store: postgres}, configured by its section,
 * {@code events.postgres} ({@link PostgresStoreOptions#from}).
 *
 * <p>Creating a store connects, creates the schema when missing and applies the pending Flyway migrations over
 * JDBC on a worker thread; it fails with an {@link EventStoreException} naming the database (without its
 * password) and the cause when the server cannot be reached or the migration fails. After that every query
 * goes through vertx-pg-client and never blocks an event loop.
 */
public final class PostgresEventStoreProvider implements EventStoreProvider {

    /** The name configurations use. */
    public static final String NAME = "postgres";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * A store on the database {@code settings} describe, reading the time from {@code clock}.
     *
     * @throws SettingsException naming the full key of a setting that is wrong or unknown, before connecting
     */
    @Override
    public Future<EventStore> create(Vertx vertx, Settings settings, Clock clock) {
        return create(vertx, PostgresStoreOptions.from(settings), clock);
    }

    /** A store on {@code options}, reading the time from {@code clock}. */
    public Future<EventStore> create(Vertx vertx, PostgresStoreOptions options, Clock clock) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        return PostgresEventStore.open(vertx, options, clock);
    }
}
