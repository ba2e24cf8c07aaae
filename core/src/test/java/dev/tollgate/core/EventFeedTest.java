package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventFeedTest {

    private final Vertx vertx = Vertx.vertx();
    private final EventFeed feed = new EventFeed(vertx.eventBus(), false);
    private final List<RateLimitEvent> single = new CopyOnWriteArrayList<>();
    private final List<EventBatch> batches = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() {
        EventBatch.registerCodecs(vertx);
        await(vertx.eventBus()
                .<RateLimitEvent>consumer(Addresses.EVENTS, m -> single.add(m.body()))
                .completion());
        await(vertx.eventBus()
                .<EventBatch>consumer(Addresses.EVENT_BATCHES, m -> batches.add(m.body()))
                .completion());
    }

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    private static List<RateLimitEvent> events(int from, int count) {
        return IntStream.range(from, from + count)
                .mapToObj(i -> RateLimitEvent.builder()
                        .timestamp(Instant.ofEpochMilli(1_800_000_000_000L + i))
                        .key("ip:10.0.0." + i % 250)
                        .ruleName("api")
                        .path("/api")
                        .method("GET")
                        .allowed(i % 4 != 0)
                        .count(i)
                        .limit(100)
                        .build())
                .toList();
    }

    private List<RateLimitEvent> batched() {
        return batches.stream().flatMap(batch -> batch.events().stream()).toList();
    }

    @Test
    void theEventsOfOneTaskOnAnEventLoopTravelTogetherInBatchesOfAtMostTheLimit() {
        List<RateLimitEvent> sent = events(0, 2 * EventFeed.MAX_BATCH + 88);
        vertx.runOnContext(v -> sent.forEach(feed::publish));

        Await.until(() -> batched().size() == sent.size() && single.size() == sent.size(), "every event twice");
        assertThat(batches).extracting(EventBatch::size).containsExactly(EventFeed.MAX_BATCH, EventFeed.MAX_BATCH, 88);
        assertThat(batched()).containsExactlyElementsOf(sent);
        assertThat(single).containsExactlyElementsOf(sent);
    }

    @Test
    void aLaterTaskStartsANewBatch() {
        List<RateLimitEvent> first = events(0, 3);
        List<RateLimitEvent> second = events(3, 2);
        vertx.runOnContext(v -> first.forEach(feed::publish));
        Await.until(() -> batches.size() == 1, "the first batch");
        vertx.runOnContext(v -> second.forEach(feed::publish));
        Await.until(() -> batches.size() == 2, "the second batch");

        assertThat(batches.get(0).events()).containsExactlyElementsOf(first);
        assertThat(batches.get(1).events()).containsExactlyElementsOf(second);
        Await.until(() -> single.size() == 5, "five events on tollgate.events");
    }

    @Test
    void offAnEventLoopEachEventIsABatchOfItsOwn() {
        List<RateLimitEvent> sent = events(0, 4);
        sent.forEach(feed::publish);

        Await.until(() -> batches.size() == 4 && single.size() == 4, "four batches and four events");
        assertThat(batches).allSatisfy(batch -> assertThat(batch.size()).isEqualTo(1));
        assertThat(batched()).containsExactlyElementsOf(sent);
    }

    @Test
    void clusteredItPutsPlainJsonOnTheBusThatAVertxWithoutTollgatesCodecsReads() {
        Vertx plain = Vertx.vertx();
        try {
            List<Object> bodies = new CopyOnWriteArrayList<>();
            List<Object> batchBodies = new CopyOnWriteArrayList<>();
            await(plain.eventBus()
                    .consumer(Addresses.EVENTS, m -> bodies.add(m.body()))
                    .completion());
            await(plain.eventBus()
                    .consumer(Addresses.EVENT_BATCHES, m -> batchBodies.add(m.body()))
                    .completion());
            EventFeed clustered = new EventFeed(plain.eventBus(), true);
            List<RateLimitEvent> sent = events(0, 3);

            plain.runOnContext(v -> sent.forEach(clustered::publish));
            Await.until(() -> bodies.size() == 3 && batchBodies.size() == 1, "three events and their batch");

            assertThat(bodies).allSatisfy(body -> assertThat(body).isInstanceOf(JsonObject.class));
            assertThat(bodies).map(EventBatch::event).containsExactlyElementsOf(sent);
            assertThat(batchBodies.get(0)).isInstanceOf(JsonArray.class);
            assertThat(((JsonArray) batchBodies.get(0)).getJsonObject(1))
                    .isEqualTo(sent.get(1).toJson());
            assertThat(EventBatch.from(batchBodies.get(0)).events()).containsExactlyElementsOf(sent);
        } finally {
            Await.close(plain);
        }
    }

    @Test
    void aBodyThatIsNeitherTheObjectNorItsJsonIsRefused() {
        assertThatThrownBy(() -> EventBatch.from("events"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an EventBatch or a JsonArray of events, got java.lang.String");
        assertThatThrownBy(() -> EventBatch.event(new JsonArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a RateLimitEvent or its JsonObject, got io.vertx.core.json.JsonArray");
    }

    @Test
    void aBatchCrossesTheWireAsJson() {
        EventCodec.Batches codec = new EventCodec.Batches();
        EventBatch batch = new EventBatch(events(0, 5));
        io.vertx.core.buffer.Buffer wire = io.vertx.core.buffer.Buffer.buffer("head");
        codec.encodeToWire(wire, batch);

        assertThat(codec.decodeFromWire(4, wire)).isEqualTo(batch);
    }
}
