package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Addresses;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.MutableClock;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.store.memory.MemoryEventStore;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OffenderAlertScheduleTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56.789Z");
    private static final Duration EVERY = Duration.ofMillis(40);

    private Vertx vertx;
    private MutableClock clock;
    private EventStore store;
    private final List<JsonObject> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        clock = MutableClock.at(NOW);
        store = MemoryEventStore.create(vertx, clock);
        List<RateLimitEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(RateLimitEvent.builder()
                    .timestamp(NOW.minusSeconds(60))
                    .key("ip:203.0.113.5")
                    .path("/")
                    .method("GET")
                    .allowed(false)
                    .count(11)
                    .limit(10)
                    .build());
        }
        await(store.append(events));
        await(vertx.eventBus()
                .<JsonObject>consumer(Addresses.ALERTS, message -> published.add(message.body()))
                .completion());
    }

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    private OffenderAlertSchedule deploy() {
        OffenderAlerts alerts = OffenderAlerts.create(
                vertx,
                store,
                AlertChannels.none(vertx),
                OffenderAlertOptions.defaults().withThreshold(5).withCooldown(Duration.ZERO),
                clock);
        OffenderAlertSchedule schedule = OffenderAlertSchedule.create(alerts, EVERY, clock);
        await(vertx.deployVerticle(schedule));
        return schedule;
    }

    private static void ticksPass(OffenderAlertSchedule schedule, int n) {
        long from = schedule.ticks();
        Await.until(() -> schedule.ticks() >= from + n, n + " more timer firings");
    }

    @Test
    void ofTwoNodesOnlyOneRunsInEachPeriod() {
        OffenderAlertSchedule first = deploy();
        OffenderAlertSchedule second = deploy();

        Await.until(() -> first.runs() + second.runs() == 1, "the first run");
        ticksPass(first, 5);
        ticksPass(second, 5);
        assertThat(first.runs() + second.runs()).isEqualTo(1);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).getString("type")).isEqualTo("offenders");

        clock.advance(EVERY);
        Await.until(() -> first.runs() + second.runs() == 2, "the next period's run");
        ticksPass(first, 5);
        ticksPass(second, 5);
        assertThat(first.runs() + second.runs()).isEqualTo(2);
        Await.until(() -> published.size() == 2, "the second alert");
    }
}
