package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.ForwardingEventStore;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.store.memory.MemoryEventStore;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

    /** The memory store behind a switch that makes appends fail, as a store does while its database is down. */
    static final class SwitchableStore extends ForwardingEventStore {
        volatile boolean down;

        SwitchableStore(EventStore delegate) {
            super(delegate);
        }

        @Override
        public Future<Void> append(List<RateLimitEvent> events) {
            return down
                    ? Future.failedFuture(new IllegalStateException("database is down"))
                    : delegate().append(events);
        }
    }

    private static final Instant NOW = Instant.parse("2027-01-01T00:00:00Z");

    private final Vertx vertx = Vertx.vertx();
    private final SwitchableStore store = new SwitchableStore(
            MemoryEventStore.create(vertx, Clock.fixed(NOW.plusSeconds(60), java.time.ZoneOffset.UTC)));
    private final TollgateMetrics metrics = new TollgateMetrics();

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    private String deploy(RecorderOptions options) {
        EventCodec.registerOn(vertx);
        return await(vertx.deployVerticle(new EventRecorder(store, options, metrics)));
    }

    /** Publishes {@code count} events as the handler does, on an event loop, so they reach the recorder in batches. */
    private void publish(int count) {
        EventFeed feed = new EventFeed(vertx.eventBus(), false);
        vertx.runOnContext(v -> {
            for (int i = 0; i < count; i++) {
                feed.publish(RateLimitEvent.builder()
                        .timestamp(NOW.plusMillis(i))
                        .key("ip:192.0.2." + (i % 7))
                        .ruleName("api")
                        .path("/api")
                        .method("GET")
                        .allowed(i % 3 != 0)
                        .count(1)
                        .limit(10)
                        .build());
            }
        });
    }

    private long stored() {
        return await(store.trafficSummary(1)).total();
    }

    @Test
    void writesInBatchesAndLosesNothing() {
        deploy(RecorderOptions.defaults().withBatchSize(10).withFlushInterval(Duration.ofMillis(20)));
        publish(95);
        Await.until(() -> metrics.recordedEvents() == 95, "95 events recorded");
        assertThat(stored()).isEqualTo(95);
        assertThat(metrics.droppedEvents()).isZero();
    }

    @Test
    void aShortStoreOutageLosesNothing() {
        deploy(RecorderOptions.defaults()
                .withBatchSize(10)
                .withFlushInterval(Duration.ofMillis(20))
                .withMaxBackoff(Duration.ofMillis(200)));
        store.down = true;
        publish(50);
        Await.until(() -> metrics.bufferedEvents() == 50, "50 events buffered");
        assertThat(metrics.prometheus()).containsPattern("tollgate_store_append_failures_total [1-9]");
        store.down = false;
        Await.until(() -> metrics.recordedEvents() == 50, "50 events recorded after the outage");
        assertThat(stored()).isEqualTo(50);
        assertThat(metrics.droppedEvents()).isZero();
    }

    @Test
    void aFullBufferDropsNewEventsAndCountsThem() {
        deploy(RecorderOptions.defaults().withBufferSize(10).withBatchSize(5).withFlushInterval(Duration.ofHours(1)));
        store.down = true;
        publish(25);
        Await.until(() -> metrics.droppedEvents() == 15, "15 dropped events");
        assertThat(metrics.bufferedEvents()).isEqualTo(10);
        store.down = false;
        Await.until(() -> metrics.recordedEvents() == 10, "the buffered events recorded");
        assertThat(stored()).isEqualTo(10);
    }

    @Test
    void stoppingFlushesWhatIsBuffered() {
        String id = deploy(RecorderOptions.defaults().withBatchSize(1000).withFlushInterval(Duration.ofHours(1)));
        publish(7);
        Await.until(() -> metrics.bufferedEvents() == 7, "7 events buffered");
        assertThat(stored()).isZero();
        await(vertx.undeploy(id));
        assertThat(stored()).isEqualTo(7);
        assertThat(metrics.bufferedEvents()).isZero();
    }
}
