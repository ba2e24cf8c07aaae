package dev.tollgate.examples;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.ScanningEventStore;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimedEventStoreTest {

    private final Vertx vertx = Vertx.vertx();
    private final Logger logger = Logger.getLogger(TimedEventStore.LOGGER);
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @AfterEach
    void tearDown() {
        try {
            logger.removeHandler(capture);
        } finally {
            Await.close(vertx);
        }
    }

    @Test
    void callsSlowerThanTheLimitAreLoggedAndFasterOnesAreNot() throws Exception {
        logger.addHandler(capture);
        AtomicLong nanos = new AtomicLong();
        TimedEventStore store = new TimedEventStore(
                new ScanningEventStore(Clock.systemUTC()),
                Duration.ofMillis(100),
                () -> nanos.getAndAdd(Duration.ofMillis(60).toNanos()));

        await(store.trafficSummary(1));
        nanos.set(0);
        TimedEventStore slow = new TimedEventStore(
                new ScanningEventStore(Clock.systemUTC()),
                Duration.ofMillis(100),
                () -> nanos.getAndAdd(Duration.ofMillis(300).toNanos()));
        await(slow.topOffenders(1, 10));

        assertThat(logged).containsExactly("topOffenders took 300 ms");
    }

    @Test
    void badSettingsAreRefusedNamingTheirFullKeys() {
        assertThatThrownBy(() -> create(new JsonObject()))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.timed.store: ")
                .hasMessageContaining("must name the store it wraps");
        assertThatThrownBy(() -> create(new JsonObject().put("store", "timed")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.timed.store: ")
                .hasMessageContaining("got 'timed'");
        assertThatThrownBy(() -> create(new JsonObject().put("store", "memory").put("slow", "1s")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.timed.slow: unknown setting of the timed event store; known: config, slowerThan,"
                        + " store");
        assertThatThrownBy(() -> create(new JsonObject().put("store", "nosuch")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.timed.store: unknown event store 'nosuch'; installed: ");
        assertThatThrownBy(() -> create(new JsonObject().put("store", "memory").put("slowerThan", "soon")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("events.timed.slowerThan: invalid duration 'soon'");
        assertThatThrownBy(() -> create(
                        new JsonObject().put("store", "memory").put("config", new JsonObject().put("maxEvents", 0))))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.timed.config.maxEvents: expected a whole number of at least 1, got 0");
    }

    private Object create(JsonObject section) {
        return new TimedEventStoreProvider().create(vertx, Settings.of("events.timed", section), Clock.systemUTC());
    }
}
