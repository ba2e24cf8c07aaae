package dev.tollgate.examples;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.spi.EventStoreProvider;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Logger;

/**
 * An event store named {@value #NAME} that wraps another store and logs every call slower than a limit.
 * Settings (its section, {@code events.timed}):
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

    /**
     * A timed store around the store {@code settings} name, created with the settings under {@code config}.
     *
     * @throws SettingsException naming the full key of a setting that is wrong or unknown, its own or the
     *     wrapped store's ({@code events.timed.config.maxEvents})
     */
    @Override
    public Future<EventStore> create(Vertx vertx, Settings settings, Clock clock) {
        settings.requireOnly("timed event store", KEYS);
        String wrapped = settings.text("store")
                .filter(name -> !name.equals(NAME))
                .orElseThrow(() -> settings.problem(
                        "store",
                        "must name the store it wraps, such as memory or postgres, got '" + settings.text("store", "")
                                + "'"));
        Duration slowerThan = settings.duration("slowerThan", DEFAULT_SLOWER_THAN);
        EventStoreProvider provider;
        try {
            provider = EventStoreRegistry.fromServiceLoader().require(wrapped);
        } catch (SettingsException e) {
            throw e.under(settings.key("store"));
        }
        return provider.create(vertx, settings.under("config"), clock).map(store -> {
            LOG.info("the timed event store wraps the " + wrapped + " store; calls slower than "
                    + Durations.format(slowerThan) + " are logged");
            return new TimedEventStore(store, slowerThan, System::nanoTime);
        });
    }
}
