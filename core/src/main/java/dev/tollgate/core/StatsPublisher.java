package dev.tollgate.core;

import dev.tollgate.events.RateLimitEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Counts the events on {@code tollgate.events} — every node's, when clustered — and publishes once a
 * second on {@code tollgate.stats}: requests, allowed and blocked in the last second and the last
 * minute, and this node's recorded and dropped event counts.
 */
final class StatsPublisher extends VerticleBase {

    private static final int SECONDS = 60;

    private final TollgateMetrics metrics;
    private final long[] allowed = new long[SECONDS];
    private final long[] blocked = new long[SECONDS];
    private long currentSecond;
    private MessageConsumer<Object> consumer;
    private long timer;

    StatsPublisher(TollgateMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        currentSecond = System.currentTimeMillis() / 1000;
        consumer = vertx.eventBus()
                .consumer(
                        Addresses.EVENT_BATCHES,
                        message -> EventBatch.from(message.body()).events().forEach(this::count));
        timer = vertx.setPeriodic(1000, id -> publish());
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return consumer.unregister();
    }

    private void count(RateLimitEvent event) {
        advanceTo(System.currentTimeMillis() / 1000);
        int slot = (int) (currentSecond % SECONDS);
        if (event.allowed()) {
            allowed[slot]++;
        } else {
            blocked[slot]++;
        }
    }

    private void advanceTo(long second) {
        if (second <= currentSecond) {
            return;
        }
        long steps = Math.min(SECONDS, second - currentSecond);
        for (long i = 1; i <= steps; i++) {
            int slot = (int) ((currentSecond + i) % SECONDS);
            allowed[slot] = 0;
            blocked[slot] = 0;
        }
        currentSecond = second;
    }

    private void publish() {
        long now = System.currentTimeMillis() / 1000;
        advanceTo(now);
        // the last whole second, and the minute ending with it
        int last = (int) ((now - 1) % SECONDS);
        long minuteAllowed = 0;
        long minuteBlocked = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (i != now % SECONDS) {
                minuteAllowed += allowed[i];
                minuteBlocked += blocked[i];
            }
        }
        JsonObject stats = new JsonObject()
                .put("timestamp", now - 1)
                .put("second", counters(allowed[last], blocked[last]))
                .put("minute", counters(minuteAllowed, minuteBlocked))
                .put("recorded", metrics.recordedEvents())
                .put("dropped", metrics.droppedEvents())
                .put("buffered", metrics.bufferedEvents());
        metrics.liveStats(stats);
        // every node counts the whole cluster's events, so its stats are for its own dashboard only
        vertx.eventBus().publish(Addresses.STATS, stats, new DeliveryOptions().setLocalOnly(true));
    }

    private static JsonObject counters(long allowed, long blocked) {
        return new JsonObject()
                .put("requests", allowed + blocked)
                .put("allowed", allowed)
                .put("blocked", blocked);
    }
}
