package dev.tollgate.store.memory;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.events.EventPage;
import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.ExampleLog;
import dev.tollgate.events.Offender;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.RuleHits;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The examples of {@code docs/analytics.md}, answered by the memory store: the document shows this output. */
class AnalyticsExamplesTest {

    private static final Instant NOW = ExampleLog.NOW;

    private static Vertx vertx;
    private static EventStore store;

    @BeforeAll
    static void fillTheLog() {
        vertx = Vertx.vertx();
        store = MemoryEventStore.create(vertx, Clock.fixed(NOW, ZoneOffset.UTC));
        List<RateLimitEvent> events = ExampleLog.events();
        await(store.append(events));
    }

    @AfterAll
    static void stopVertx() {
        Await.close(vertx);
    }

    @Test
    void trafficSummary() {
        assertSameJson(await(store.trafficSummary(1)).toJson(), """
                {
                  "days" : 1,
                  "total" : 27,
                  "allowed" : 17,
                  "blocked" : 8,
                  "shadow_blocked" : 2,
                  "block_rate" : 0.2962962962962963
                }""");
        assertSameJson(await(store.trafficSummary(7)).toJson(), """
                {"days":7,"total":28,"allowed":17,"blocked":9,"shadow_blocked":2,"block_rate":0.32142857142857145}""");
    }

    @Test
    void topOffenders() {
        assertSameJson(
                new JsonArray(await(store.topOffenders(7, 20)).stream()
                        .map(Offender::toJson)
                        .toList()),
                """
                [ {
                  "key" : "ip:203.0.113.5",
                  "blocked_count" : 6
                }, {
                  "key" : "user:42",
                  "blocked_count" : 2
                }, {
                  "key" : "ip:198.51.100.7",
                  "blocked_count" : 1
                } ]""");
    }

    @Test
    void topShadowOffenders() {
        assertSameJson(
                new JsonArray(await(store.topShadowOffenders(7, 20)).stream()
                        .map(Offender::toShadowJson)
                        .toList()),
                """
                [ {
                  "key" : "ip:192.0.2.80",
                  "shadow_blocked_count" : 2
                } ]""");
    }

    @Test
    void ruleHitCounts() {
        assertSameJson(
                new JsonArray(await(store.ruleHitCounts(7, 20)).stream()
                        .map(RuleHits::toJson)
                        .toList()),
                """
                [ {
                  "rule_name" : "login",
                  "hits" : 15,
                  "blocked" : 5,
                  "shadow_blocked" : 0
                }, {
                  "rule_name" : "api",
                  "hits" : 8,
                  "blocked" : 4,
                  "shadow_blocked" : 0
                }, {
                  "rule_name" : "export-trial",
                  "hits" : 4,
                  "blocked" : 0,
                  "shadow_blocked" : 2
                } ]""");
    }

    @Test
    void offenderDetail() {
        assertSameJson(await(store.offenderDetail("ip:203.0.113.5", 1, 3)).toJson(), """
                {
                  "key" : "ip:203.0.113.5",
                  "days" : 1,
                  "total" : 16,
                  "allowed" : 10,
                  "blocked" : 6,
                  "shadow_blocked" : 0,
                  "block_rate" : 0.375,
                  "first_seen" : "2026-03-15T07:00:00.000Z",
                  "last_seen" : "2026-03-15T11:20:00.000Z",
                  "by_path" : [ {
                    "path" : "/api/login",
                    "count" : 5
                  }, {
                    "path" : "/api/orders",
                    "count" : 1
                  } ],
                  "recent_events" : [ {
                    "timestamp" : "2026-03-15T11:20:00.000Z",
                    "path" : "/api/orders",
                    "method" : "GET",
                    "allowed" : false,
                    "shadow" : false,
                    "count" : 101,
                    "limit" : 10,
                    "rule_name" : "api"
                  }, {
                    "timestamp" : "2026-03-15T11:18:00.500Z",
                    "path" : "/api/login",
                    "method" : "POST",
                    "allowed" : false,
                    "shadow" : false,
                    "count" : 15,
                    "limit" : 10,
                    "rule_name" : "login"
                  }, {
                    "timestamp" : "2026-03-15T11:18:00.250Z",
                    "path" : "/api/login",
                    "method" : "POST",
                    "allowed" : false,
                    "shadow" : false,
                    "count" : 14,
                    "limit" : 10,
                    "rule_name" : "login"
                  } ]
                }""");
        assertSameJson(await(store.offenderDetail("ip:10.9.9.9", 7)).toJson(), """
                {
                  "key" : "ip:10.9.9.9",
                  "days" : 7,
                  "total" : 0,
                  "allowed" : 0,
                  "blocked" : 0,
                  "shadow_blocked" : 0,
                  "block_rate" : 0.0,
                  "first_seen" : null,
                  "last_seen" : null,
                  "by_path" : [ ],
                  "recent_events" : [ ]
                }""");
        assertSameJson(await(store.offenderDetail("ip:192.0.2.80", 1, 2)).toJson(), """
                {
                  "key" : "ip:192.0.2.80",
                  "days" : 1,
                  "total" : 4,
                  "allowed" : 2,
                  "blocked" : 0,
                  "shadow_blocked" : 2,
                  "block_rate" : 0.0,
                  "first_seen" : "2026-03-15T09:00:00.000Z",
                  "last_seen" : "2026-03-15T09:00:03.000Z",
                  "by_path" : [ ],
                  "recent_events" : [ {
                    "timestamp" : "2026-03-15T09:00:03.000Z",
                    "path" : "/api/export",
                    "method" : "GET",
                    "allowed" : true,
                    "shadow" : true,
                    "count" : 4,
                    "limit" : 2,
                    "rule_name" : "export-trial"
                  }, {
                    "timestamp" : "2026-03-15T09:00:02.000Z",
                    "path" : "/api/export",
                    "method" : "GET",
                    "allowed" : true,
                    "shadow" : true,
                    "count" : 3,
                    "limit" : 2,
                    "rule_name" : "export-trial"
                  } ]
                }""");
    }

    @Test
    void timeSeries() {
        assertSameJson(await(store.timeSeries(1, 4)).toJson(), """
                {
                  "days" : 1,
                  "bucket_width_ms" : 21600000,
                  "buckets" : [ {
                    "start" : "2026-03-14T12:00:00.000Z",
                    "end" : "2026-03-14T18:00:00.000Z",
                    "allowed" : 4,
                    "blocked" : 2,
                    "shadow_blocked" : 0
                  }, {
                    "start" : "2026-03-14T18:00:00.000Z",
                    "end" : "2026-03-15T00:00:00.000Z",
                    "allowed" : 0,
                    "blocked" : 0,
                    "shadow_blocked" : 0
                  }, {
                    "start" : "2026-03-15T00:00:00.000Z",
                    "end" : "2026-03-15T06:00:00.000Z",
                    "allowed" : 0,
                    "blocked" : 0,
                    "shadow_blocked" : 0
                  }, {
                    "start" : "2026-03-15T06:00:00.000Z",
                    "end" : "2026-03-15T12:00:00.000Z",
                    "allowed" : 13,
                    "blocked" : 6,
                    "shadow_blocked" : 2
                  } ]
                }""");
    }

    @Test
    void events() {
        EventQuery query = EventQuery.builder()
                .key("user:42")
                .outcome(EventQuery.Outcome.BLOCKED)
                .pageSize(1)
                .build();
        EventPage first = await(store.events(query));

        assertSameJson(first.toJson(), """
                {
                  "events" : [ {
                    "timestamp" : "2026-03-14T16:00:05.000Z",
                    "key" : "user:42",
                    "rule_name" : "api",
                    "path" : "/api/orders",
                    "method" : "GET",
                    "allowed" : false,
                    "count" : 102,
                    "limit" : 10,
                    "ip_address" : "198.51.100.20",
                    "user_id" : "42",
                    "shadow" : false,
                    "user_agent" : null,
                    "upstream_status" : null,
                    "upstream_latency_ms" : null
                  } ],
                  "next_cursor" : "ZTE6MTc3MzUwNDAwNTAwMDoyMQ"
                }""");
        assertThat(await(store.events(query.after(first.nextCursor().orElseThrow())))
                        .toJson()
                        .getJsonArray("events")
                        .getJsonObject(0)
                        .getInteger("count"))
                .isEqualTo(101);
    }

    /** Same fields, same order, same values: compares the compact encodings. */
    private static void assertSameJson(Object actual, String documented) {
        String expected = documented.trim().startsWith("[")
                ? new JsonArray(documented).encode()
                : new JsonObject(documented).encode();
        String encoded = actual instanceof JsonArray array ? array.encode() : ((JsonObject) actual).encode();
        assertThat(encoded).isEqualTo(expected);
    }
}
