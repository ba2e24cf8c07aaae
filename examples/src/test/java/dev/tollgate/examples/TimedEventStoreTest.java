package dev.tollgate.examples;

import static dev.tollgate.test.support.Await.await;
import static dev.tollgate.test.support.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.ScanningEventStore;
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
    void badSettingsFailTheOpeningSayingWhy() {
        TimedEventStoreProvider provider = new TimedEventStoreProvider();

        assertThat(failure(provider.open(vertx, new JsonObject(), Clock.systemUTC())))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("must name the store it wraps");
        assertThat(failure(provider.open(vertx, new JsonObject().put("store", "timed"), Clock.systemUTC())))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("got 'timed'");
        assertThat(failure(provider.open(
                        vertx, new JsonObject().put("store", "memory").put("slow", "1s"), Clock.systemUTC())))
                .isInstanceOf(EventStoreException.class)
                .hasMessage("the timed event store has no setting slow; it knows " + "config, slowerThan, store");
        assertThat(failure(provider.open(vertx, new JsonObject().put("store", "nosuch"), Clock.systemUTC())))
                .isInstanceOf(EventStoreException.class)
                .hasMessageStartingWith("unknown event store 'nosuch'; known: ");
    }
}
