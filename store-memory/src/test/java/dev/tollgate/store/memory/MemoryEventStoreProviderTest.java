package dev.tollgate.store.memory;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.MutableClock;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
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
        EventStore store = await(EventStoreRegistry.fromServiceLoader()
                .create("memory", vertx, Settings.of("events.memory", config), clock));
        return (MemoryEventStore) store;
    }

    @Test
    void isFoundByNameOnTheClassPath() {
        assertThat(EventStoreRegistry.fromServiceLoader().names()).contains("memory");
    }

    @Test
    void saysItsStoresAreNotSharedWithOtherProcesses() {
        assertThat(new MemoryEventStoreProvider().shared()).isFalse();
    }

    @Test
    void holdsFiveMillionEventsUnlessToldOtherwise() {
        assertThat(open(new JsonObject()).maxEvents()).isEqualTo(5_000_000L);
        assertThat(open(new JsonObject().put("maxEvents", 10)).maxEvents()).isEqualTo(10);
        assertThat(open(new JsonObject().put("maxEvents", " 250 ")).maxEvents()).isEqualTo(250);
    }

    @Test
    void refusesABoundThatIsNotAPositiveWholeNumber() {
        for (Object bad : new Object[] {0, -5}) {
            assertThatThrownBy(() -> open(new JsonObject().put("maxEvents", bad)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("events.memory.maxEvents: expected a whole number of at least 1, got " + bad);
        }
        for (Object bad : new Object[] {"many", 2.5, true}) {
            assertThatThrownBy(() -> open(new JsonObject().put("maxEvents", bad)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("events.memory.maxEvents: expected a whole number, got '" + bad + "'");
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
    void readsMaxBytesAsAShareOfTheHeap() {
        assertThat(open(new JsonObject().put("maxBytes", "50%")).options().maxBytes())
                .isEqualTo(Runtime.getRuntime().maxMemory() / 2);
    }

    @Test
    void refusesAMaxBytesThatIsNoSizeOfAtLeastOneMegabyte() {
        for (Object bad : new Object[] {"lots", "64 parsecs", "1.5gb", -1, 2.5, true, "-64mb", "99999999999gb"}) {
            assertThatThrownBy(() -> open(new JsonObject().put("maxBytes", bad)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("events.memory.maxBytes: expected a size such as 64mb, 1gb or 25% (of the heap), got '"
                            + bad + "'");
        }
        for (Object bad : new Object[] {1000, "1023kb"}) {
            assertThatThrownBy(() -> open(new JsonObject().put("maxBytes", bad)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("events.memory.maxBytes: expected at least 1mb, such as 256mb, got '" + bad + "'");
        }
    }

    @Test
    void remembersTenThousandBatchIdsUnlessToldOtherwise() {
        assertThat(open(new JsonObject()).options().maxBatchIds()).isEqualTo(10_000);
        assertThat(open(new JsonObject().put("maxBatchIds", 50)).options().maxBatchIds())
                .isEqualTo(50);
        assertThatThrownBy(() -> open(new JsonObject().put("maxBatchIds", 0)))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.memory.maxBatchIds: expected a whole number between 1 and 2147483647, got 0");
        assertThatThrownBy(() -> open(new JsonObject().put("maxBatchIds", 3_000_000_000L)))
                .isInstanceOf(SettingsException.class)
                .hasMessage(
                        "events.memory.maxBatchIds: expected a whole number between 1 and 2147483647, got 3000000000");
    }

    @Test
    void refusesSettingsItDoesNotKnow() {
        assertThatThrownBy(() -> open(new JsonObject().put("maxEvent", 10)))
                .isInstanceOf(SettingsException.class)
                .hasMessage("events.memory.maxEvent: unknown setting of the memory event store; known: maxBatchIds,"
                        + " maxBytes, maxEvents");
    }
}
