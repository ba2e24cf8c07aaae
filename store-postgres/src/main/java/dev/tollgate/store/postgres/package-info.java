/**
 * The PostgreSQL {@link dev.tollgate.events.EventStore}: provider name {@code postgres}.
 *
 * <p>Create it through {@link dev.tollgate.events.EventStoreRegistry} with the {@code events.postgres}
 * section of the configuration, or by code with
 * {@link dev.tollgate.store.postgres.PostgresEventStoreProvider#create(io.vertx.core.Vertx,
 * PostgresStoreOptions, java.time.Clock)}. Opening migrates the schema with Flyway (JDBC, once, on a
 * worker thread); every query after that goes through the reactive vertx-pg-client.
 */
package dev.tollgate.store.postgres;
