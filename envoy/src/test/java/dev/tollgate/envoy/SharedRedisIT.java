package dev.tollgate.envoy;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Addresses;
import dev.tollgate.core.Rule;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.plugin.Settings;
import dev.tollgate.test.support.Await;
import dev.tollgate.test.support.RedisKeys;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse.Code;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Envoy service and a {@code serve} gateway node on one Redis: a descriptor's limit and the gateway's rule of the
 * same name and spec take from one count, whichever node is asked.
 */
class SharedRedisIT {

    private static final Instant START = Instant.parse("2027-01-01T00:00:10Z");
    private static final String CONFIG = """
            domain: edge
            descriptors:
              - key: remote_address
                rate_limit:
                  unit: minute
                  requests_per_unit: 10
            """;

    private final String prefix = RedisKeys.newPrefix("tollgate-envoy-it");
    private final Vertx envoyNode = Vertx.vertx();
    private final Vertx gatewayNode = Vertx.vertx();
    private final ManualClock clock = ManualClock.at(START);
    private final List<RateLimitEvent> events = new CopyOnWriteArrayList<>();
    private EnvoyRateLimitService service;
    private EnvoyClient envoy;

    private LimiterOptions redis() {
        return LimiterOptions.defaults()
                .withClock(clock)
                .withSettings(Settings.of(
                        "limiter.redis",
                        new JsonObject().put("url", "redis://127.0.0.1:6379").put("keyPrefix", prefix)));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (envoy != null) {
                envoy.close();
            }
            if (service != null) {
                await(service.close());
            }
        } finally {
            Await.close(envoyNode, gatewayNode);
        }
        RedisKeys.deleteAll(prefix);
    }

    @Test
    void theEnvoyServiceAndAGatewayNodeTakeFromOneCount() {
        Tollgate envoyTollgate = Tollgate.builder()
                .vertx(envoyNode)
                .backend("redis")
                .limiterOptions(redis())
                .build();
        await(envoyNode
                .eventBus()
                .<RateLimitEvent>consumer(Addresses.EVENTS, message -> events.add(message.body()))
                .completion());
        service = await(EnvoyRateLimitService.start(
                envoyNode,
                envoyTollgate,
                EnvoyConfig.parse(Map.of("edge.yaml", CONFIG)),
                EnvoyOptions.defaults().withHost("127.0.0.1").withPort(0)));
        envoy = new EnvoyClient(service.port());
        // the gateway's rule has the descriptor's name and spec: on Redis, the same counter
        Tollgate gateway = Tollgate.builder()
                .vertx(gatewayNode)
                .backend("redis")
                .limiterOptions(redis())
                .rules(List.of(Rule.fromJson(new JsonObject()
                        .put("name", "edge.remote_address")
                        .put("path", "/*")
                        .put("algorithm", "fixed-window")
                        .put("limit", 10)
                        .put("window", "1m"))))
                .build();
        await(gateway.deployServices());
        String key = "edge.remote_address_203.0.113.5";

        RateLimitResponse four = envoy.shouldRateLimit(RateLimitRequest.newBuilder()
                .setDomain("edge")
                .setHitsAddend(4)
                .addDescriptors(EnvoyClient.descriptor("remote_address", "203.0.113.5"))
                .build());
        assertThat(four.getStatuses(0).getLimitRemaining()).isEqualTo(6);

        JsonObject five = check(key, 5);
        assertThat(five.getBoolean("allowed")).isTrue();
        assertThat(five.getLong("remaining")).as("after Envoy's 4").isEqualTo(1);

        assertThat(envoy.ask("edge", "remote_address", "203.0.113.5").getOverallCode())
                .isEqualTo(Code.OK);
        RateLimitResponse over = envoy.ask("edge", "remote_address", "203.0.113.5");
        assertThat(over.getOverallCode()).isEqualTo(Code.OVER_LIMIT);
        assertThat(over.getStatuses(0).getDurationUntilReset().getSeconds()).isEqualTo(50);
        assertThat(check(key, 1).getBoolean("allowed"))
                .as("the gateway sees Envoy's")
                .isFalse();
        assertThat(envoy.ask("edge", "remote_address", "198.51.100.7").getOverallCode())
                .as("another address, another count")
                .isEqualTo(Code.OK);

        Await.until(() -> events.size() == 4, "the Envoy node's 4 events");
        assertThat(events).extracting(RateLimitEvent::allowed).containsExactly(true, true, false, true);
        assertThat(events).extracting(RateLimitEvent::method).containsOnly("ENVOY");
    }

    private JsonObject check(String key, int permits) {
        return await(gatewayNode
                        .eventBus()
                        .<JsonObject>request(
                                Addresses.LIMIT_CHECK,
                                new JsonObject()
                                        .put("rule", "edge.remote_address")
                                        .put("key", key)
                                        .put("permits", permits)))
                .body();
    }
}
