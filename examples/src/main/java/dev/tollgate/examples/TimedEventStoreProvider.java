package dev.tollgate.examples;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.Durations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * An event store named {@value #NAME} that wraps another store and logs every call slower than a limit.
 * Settings (the {@code events.timed} section):
 * <pre>
 * events:
 *   store: timed
 *   timed:
 *     store: postgres            # the store it wraps (required): any store on the classpath but itself
 *     config: { url: "..." }     # that store's settings (default: none)
 *     slowerThan: 250ms          # calls that take longer are logged (default 250ms)
 * </pre>
 */
public final class TimedEventStoreProvider implements EventStoreProvider {

    /** The store's name in configurations. */
    public static final String NAME = "timed";
    /** Calls slower than this are logged when nothing else is set. */
    public static final Duration DEFAULT_SLOWER_THAN = Duration.ofMillis(250);

    private static final Logger LOG = Logger.getLogger(TimedEventStore.LOGGER);
    private static final Set<String> KEYS = Set.of("store", "config", "slowerThan");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Future<EventStore> open(Vertx vertx, JsonObject config, Clock clock) {
        String wrapped;
        JsonObject wrappedConfig;
        Duration slowerThan;
        try {
            Set<String> unknown = new TreeSet<>(config.fieldNames());
            unknown.removeAll(KEYS);
            if (!unknown.isEmpty()) {
                throw new EventStoreException("the timed event store has no setting " + String.join(", ", unknown)
                        + "; it knows " + String.join(", ", new TreeSet<>(KEYS)));
            }
            wrapped = config.getString("store");
            if (wrapped == null || wrapped.isBlank() || wrapped.equals(NAME)) {
                throw new EventStoreException("the timed event store's store must name the store it wraps, such as "
                        + "memory or postgres, got '" + wrapped + "'");
            }
            wrappedConfig = config.getJsonObject("config", new JsonObject());
            slowerThan = Durations.parse(config.getString("slowerThan", Durations.format(DEFAULT_SLOWER_THAN)));
        } catch (EventStoreException e) {
            return Future.failedFuture(e);
        } catch (IllegalArgumentException | ClassCastException e) {
            return Future.failedFuture(new EventStoreException("the timed event store's settings: " + e.getMessage()));
        }
        return EventStoreRegistry.fromServiceLoader()
                .open(wrapped, vertx, wrappedConfig, clock)
                .map(store -> {
                    LOG.info("the timed event store wraps the " + wrapped + " store; calls slower than "
                            + Durations.format(slowerThan) + " are logged");
                    return new TimedEventStore(store, slowerThan, System::nanoTime);
                });
    }
}
