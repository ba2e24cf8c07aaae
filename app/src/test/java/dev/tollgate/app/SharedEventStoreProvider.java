package dev.tollgate.app;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.ForwardingEventStore;
import dev.tollgate.events.ScanningEventStore;
import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Set;

/**
 * The store {@code shared}: one reference store that outlives the commands that open and close it, as a
 * database outlives the cron jobs that use it. Tests fill it and read it through {@link #store()}.
 */
public final class SharedEventStoreProvider implements EventStoreProvider {

    private static volatile ScanningEventStore shared = new ScanningEventStore(Clock.systemUTC());

    /** Starts over with an empty store. */
    static void reset() {
        shared = new ScanningEventStore(Clock.systemUTC());
    }

    /** The store every command opens. */
    static EventStore store() {
        return shared;
    }

    @Override
    public String name() {
        return "shared";
    }

    @Override
    public Future<EventStore> create(Vertx vertx, Settings settings, Clock clock) {
        settings.requireOnly("shared event store", Set.of());
        return Future.succeededFuture(new Unclosed(shared));
    }

    /** The shared store, whose {@link #close} leaves it open for the next command. */
    private static final class Unclosed extends ForwardingEventStore {

        Unclosed(EventStore store) {
            super(store);
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }
}
