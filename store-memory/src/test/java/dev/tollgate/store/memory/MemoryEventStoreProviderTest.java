package dev.tollgate.store.memory;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.MutableClock;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MemoryEventStoreProviderTest {

    private static Vertx vertx;
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-15T12:00:00Z"));

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        Await.close(vertx);
    }

    private MemoryEventStore open(JsonObject config) {
        EventStore store = await(EventStoreRegistry.fromServiceLoader().open("memory", vertx, config, clock));
        return (MemoryEventStore) store;
    }

    @Test
    void isFoundByNameOnTheClassPath() {
        assertThat(EventStoreRegistry.fromServiceLoader().names()).contains("memory");
    }

    @Test
    void holdsFiveMillionEventsUnlessToldOtherwise() {
        assertThat(open(new JsonObject()).maxEvents()).isEqualTo(5_000_000L);
        assertThat(open(new JsonObject().put("maxEvents", 10)).maxEvents()).isEqualTo(10);
        assertThat(open(new JsonObject().put("maxEvents", " 250 ")).maxEvents()).isEqualTo(250);
    }

    @Test
    void refusesABoundThatIsNotAPositiveWholeNumber() {
        for (Object bad : new Object[] {0, -5, "many", 2.5, true}) {
            assertThatThrownBy(() -> open(new JsonObject().put("maxEvents", bad)))
                    .hasCauseInstanceOf(EventStoreException.class)
                    .cause()
                    .hasMessageContaining("maxEvents")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void mayTakeAQuarterOfTheMaximumHeapUnlessToldOtherwise() {
        assertThat(open(new JsonObject()).options().maxBytes())
                .isEqualTo(Runtime.getRuntime().maxMemory() / 4);
        assertThat(open(new JsonObject().put("maxBytes", 2_097_152)).options().maxBytes())
                .isEqualTo(2_097_152);
        assertThat(open(new JsonObject().put("maxBytes", " 3145728 ")).options().maxBytes())
                .isEqualTo(3_145_728);
    }

    @Test
    void readsMaxBytesAsASizeInKilobytesMegabytesOrGigabytes() {
        assertThat(open(new JsonObject().put("maxBytes", "64mb")).options().maxBytes())
                .isEqualTo(64L << 20);
        assertThat(open(new JsonObject().put("maxBytes", "1GB")).options().maxBytes())
                .isEqualTo(1L << 30);
        assertThat(open(new JsonObject().put("maxBytes", "2048 kb")).options().maxBytes())
                .isEqualTo(2L << 20);
        assertThat(open(new JsonObject().put("maxBytes", "512m")).options().maxBytes())
                .isEqualTo(512L << 20);
        assertThat(open(new JsonObject().put("maxBytes", "2g")).options().maxBytes())
                .isEqualTo(2L << 30);
    }

    @Test
    void refusesAMaxBytesThatIsNoSizeOfAtLeastOneMegabyte() {
        for (Object bad :
                new Object[] {"lots", "64 parsecs", "1.5gb", 1000, "1023kb", -1, 2.5, true, "-64mb", "99999999999gb"}) {
            assertThatThrownBy(() -> open(new JsonObject().put("maxBytes", bad)))
                    .hasCauseInstanceOf(EventStoreException.class)
                    .cause()
                    .hasMessageContaining("maxBytes")
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("256mb");
        }
    }

    @Test
    void remembersTenThousandBatchIdsUnlessToldOtherwise() {
        assertThat(open(new JsonObject()).options().maxBatchIds()).isEqualTo(10_000);
        assertThat(open(new JsonObject().put("maxBatchIds", 50)).options().maxBatchIds())
                .isEqualTo(50);
        assertThatThrownBy(() -> open(new JsonObject().put("maxBatchIds", 0)))
                .hasCauseInstanceOf(EventStoreException.class)
                .cause()
                .hasMessageContaining("maxBatchIds");
        assertThatThrownBy(() -> open(new JsonObject().put("maxBatchIds", 3_000_000_000L)))
                .hasCauseInstanceOf(EventStoreException.class)
                .cause()
                .hasMessageContaining("maxBatchIds")
                .hasMessageContaining("from 1 to 2147483647");
    }

    @Test
    void refusesSettingsItDoesNotKnow() {
        assertThatThrownBy(() -> open(new JsonObject().put("maxEvent", 10)))
                .hasCauseInstanceOf(EventStoreException.class)
                .cause()
                .hasMessage("the memory event store has no setting maxEvent; it knows maxBatchIds, maxBytes,"
                        + " maxEvents");
    }
}
