package dev.tollgate.store.postgres;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.spi.EventStoreProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Objects;

/**
 * Opens PostgreSQL event stores: {@code events.store: postgres}, configured by {@code events.postgres}
 * ({@link PostgresStoreOptions#fromJson}).
 *
 * <p>Opening connects, creates the schema when missing and applies the pending Flyway migrations over JDBC
 * on a worker thread; it fails with an {@link EventStoreException} naming the database (without its
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

    @Override
    public Future<EventStore> open(Vertx vertx, JsonObject config, Clock clock) {
        PostgresStoreOptions options;
        try {
            options = PostgresStoreOptions.fromJson(config);
        } catch (EventStoreException e) {
            return Future.failedFuture(e);
        }
        return open(vertx, options, clock);
    }

    /** Opens a store on {@code options}, reading the time from {@code clock}. */
    public Future<EventStore> open(Vertx vertx, PostgresStoreOptions options, Clock clock) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        return PostgresEventStore.open(vertx, options, clock);
    }
}
