package dev.tollgate.store.memory;

import static dev.tollgate.store.memory.AgreementCheck.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.EventStore;
import dev.tollgate.events.EventStoreException;
import dev.tollgate.events.EventStoreRegistry;
import dev.tollgate.events.MutableClock;
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
        await(vertx.close());
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
                    .cause().hasMessageContaining("maxEvents").hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void refusesSettingsItDoesNotKnow() {
        assertThatThrownBy(() -> open(new JsonObject().put("maxEvent", 10)))
                .hasCauseInstanceOf(EventStoreException.class)
                .cause().hasMessage("the memory event store has no setting maxEvent; it knows only maxEvents");
    }
}
