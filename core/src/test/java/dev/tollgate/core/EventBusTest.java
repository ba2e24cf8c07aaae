package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What docs/event-bus.md shows: a separate verticle that watches decisions and asks for its own. */
class EventBusTest {

    /** A job runner that rate-limits its own work through Tollgate and watches blocked requests. */
    static final class JobRunner extends VerticleBase {
        final List<RateLimitEvent> blocked = new CopyOnWriteArrayList<>();
        final List<JsonObject> decisions = new CopyOnWriteArrayList<>();

        @Override
        public Future<?> start() {
            return vertx.eventBus()
                    .consumer(Addresses.EVENTS, message -> {
                        RateLimitEvent event = EventBatch.event(message.body());
                        if (!event.allowed()) {
                            blocked.add(event);
                        }
                    })
                    .completion();
        }

        Future<JsonObject> runJob(String customer) {
            JsonObject ask = new JsonObject()
                    .put("rule", "jobs")
                    .put("key", "customer:" + customer)
                    .put("permits", 1);
            return vertx.eventBus()
                    .<JsonObject>request(Addresses.LIMIT_CHECK, ask)
                    .map(reply -> {
                        decisions.add(reply.body());
                        return reply.body();
                    });
        }
    }

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.close(vertx);
    }

    /** A Tollgate with {@code rule} on a manual clock, its services deployed, its events collected in {@code events}. */
    private Tollgate deployedWith(String rule, List<RateLimitEvent> events) {
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(
                        LimiterOptions.defaults().withClock(ManualClock.at(Instant.parse("2027-01-01T00:00:00Z"))))
                .rules(List.of(Rule.fromJson(new JsonObject(rule))))
                .build();
        await(vertx.eventBus()
                .<RateLimitEvent>consumer(Addresses.EVENTS, m -> events.add(m.body()))
                .completion());
        await(tollgate.deployServices());
        return tollgate;
    }

    @Test
    void aSeparateVerticleAsksForDecisionsAndSeesTheEvents() {
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .limiterOptions(
                        LimiterOptions.defaults().withClock(ManualClock.at(Instant.parse("2027-01-01T00:00:00Z"))))
                .rules(
                        List.of(
                                Rule.fromJson(
                                        new JsonObject(
                                                "{\"name\":\"jobs\",\"path\":\"/jobs\",\"algorithm\":\"fixed-window\",\"limit\":2,\"window\":\"1h\"}"))))
                .build();
        await(tollgate.deployServices());
        JobRunner runner = new JobRunner();
        await(vertx.deployVerticle(runner));

        JsonObject first = await(runner.runJob("acme"));
        assertThat(first.getBoolean("allowed")).isTrue();
        assertThat(first.getLong("remaining")).isEqualTo(1);
        assertThat(first.getString("rule")).isEqualTo("jobs");
        await(runner.runJob("acme"));
        JsonObject third = await(runner.runJob("acme"));
        assertThat(third.getBoolean("allowed")).isFalse();
        assertThat(third.getLong("retryAfter")).isEqualTo(3600);

        Await.until(() -> runner.blocked.size() == 1, "the blocked event");
        assertThat(runner.blocked.get(0).key()).isEqualTo("customer:acme");
        assertThat(runner.blocked.get(0).ruleName()).isEqualTo("jobs");
        assertThat(runner.blocked.get(0).method()).isEqualTo("BUS");
    }

    @Test
    void aBusCheckUnderAShadowRuleIsRecordedAsServedAndShadowWhenTheRuleWouldHaveRefused() {
        List<RateLimitEvent> events = new CopyOnWriteArrayList<>();
        Tollgate tollgate = deployedWith(
                "{\"name\":\"jobs\",\"algorithm\":\"fixed-window\",\"limit\":1,\"window\":\"1h\",\"shadow\":true}",
                events);
        JsonObject ask =
                new JsonObject().put("rule", "jobs").put("key", "customer:acme").put("permits", 1);

        JsonObject first = await(vertx.eventBus().<JsonObject>request(Addresses.LIMIT_CHECK, ask))
                .body();
        JsonObject second = await(vertx.eventBus().<JsonObject>request(Addresses.LIMIT_CHECK, ask))
                .body();
        assertThat(first.getBoolean("allowed")).isTrue();
        assertThat(first.getBoolean("shadowBlocked")).isFalse();
        assertThat(second.getBoolean("allowed"))
                .as("a shadow rule never refuses")
                .isTrue();
        assertThat(second.getBoolean("shadowBlocked")).isTrue();
        assertThat(tollgate.metrics().decisions("jobs", "allowed")).isEqualTo(1);
        assertThat(tollgate.metrics().decisions("jobs", "shadow_blocked")).isEqualTo(1);

        Await.until(() -> events.size() == 2, "two events");
        assertThat(events).extracting(RateLimitEvent::method).containsExactly("BUS", "BUS");
        assertThat(events).extracting(RateLimitEvent::allowed).containsExactly(true, true);
        assertThat(events).extracting(RateLimitEvent::shadow).containsExactly(false, true);
    }

    @Test
    void anUnknownRuleOrAMissingKeyIsAnsweredWithACode() {
        Tollgate tollgate = Tollgate.builder()
                .vertx(vertx)
                .rules(List.of(Rule.fromJson(new JsonObject("{\"name\":\"jobs\",\"limit\":2,\"window\":\"1h\"}"))))
                .build();
        await(tollgate.deployServices());
        Throwable unknown = await(vertx.eventBus()
                        .request(
                                Addresses.LIMIT_CHECK,
                                new JsonObject().put("rule", "nope").put("key", "k"))
                        .transform(Future::succeededFuture))
                .cause();
        assertThat(unknown).isInstanceOf(ReplyException.class).hasMessage("unknown rule 'nope'; known: jobs");
        assertThat(((ReplyException) unknown).failureCode()).isEqualTo(404);
        Throwable missing = await(vertx.eventBus()
                        .request(Addresses.LIMIT_CHECK, new JsonObject().put("rule", "jobs"))
                        .transform(Future::succeededFuture))
                .cause();
        assertThat(((ReplyException) missing).failureCode()).isEqualTo(400);
    }

    @Test
    void aBusCheckMayDescribeARequestWhoseKeyTheRulesResolverPicks() {
        List<RateLimitEvent> events = new CopyOnWriteArrayList<>();
        deployedWith(
                "{\"name\":\"api\",\"key\":\"query:api_key\",\"algorithm\":\"fixed-window\",\"limit\":1,"
                        + "\"window\":\"1h\"}",
                events);
        JsonObject ask = new JsonObject()
                .put("rule", "api")
                .put("request", new JsonObject().put("path", "/api//orders/../items?api_key=k1&x=2"));

        JsonObject first = await(vertx.eventBus().<JsonObject>request(Addresses.LIMIT_CHECK, ask))
                .body();
        JsonObject second = await(vertx.eventBus().<JsonObject>request(Addresses.LIMIT_CHECK, ask))
                .body();

        assertThat(first.getBoolean("allowed")).isTrue();
        assertThat(second.getBoolean("allowed")).isFalse();
        Await.until(() -> events.size() == 2, "two events");
        assertThat(events.get(0).key()).isEqualTo("query:api_key:k1");
        assertThat(events.get(0).path()).isEqualTo("/api/items");
        assertThat(events.get(0).method()).isEqualTo("BUS");
        Throwable both = await(vertx.eventBus()
                        .request(Addresses.LIMIT_CHECK, ask.copy().put("key", "k"))
                        .transform(Future::succeededFuture))
                .cause();
        assertThat(((ReplyException) both).failureCode()).isEqualTo(400);
    }

    @Test
    void statsArePublishedEverySecond() {
        Tollgate tollgate = Tollgate.builder().vertx(vertx).build();
        await(tollgate.deployServices());
        List<JsonObject> stats = new CopyOnWriteArrayList<>();
        vertx.eventBus().<JsonObject>consumer(Addresses.STATS, m -> stats.add(m.body()));
        Await.until(() -> !stats.isEmpty(), "a stats message");
        JsonObject first = stats.get(0);
        assertThat(first.getJsonObject("second").fieldNames())
                .containsExactlyInAnyOrder("requests", "allowed", "blocked");
        assertThat(first.getJsonObject("minute").getLong("requests")).isZero();
        assertThat(first.getLong("dropped")).isZero();
    }
}
