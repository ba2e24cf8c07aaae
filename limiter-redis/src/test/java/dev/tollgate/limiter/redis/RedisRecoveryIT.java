package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;
import static dev.tollgate.test.support.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.test.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a Redis server of the test's own does to the limiter when it dies, comes back, or forgets
 * its scripts.
 */
class RedisRecoveryIT {

    private final ManualClock clock = ManualClock.at(Instant.parse("2027-01-01T00:00:00Z"));
    private final LimitSpec spec = LimitSpec.of("token-bucket", 100, Duration.ofMinutes(1));
    private Vertx vertx;
    private RedisServerProcess server;
    private RedisRateLimiter limiter;

    @BeforeEach
    void startServer() {
        vertx = Vertx.vertx();
        server = RedisServerProcess.start();
        JsonObject config = new JsonObject()
                .put("url", server.url())
                .put("breakerFailures", 3)
                .put("breakerCooldown", "100ms")
                .put("timeout", "2s")
                .put("connectTimeout", "1s");
        limiter = (RedisRateLimiter) new RedisTokenBucketProvider()
                .create(
                        spec,
                        LimiterOptions.defaults()
                                .withClock(clock)
                                .withVertx(vertx)
                                .withSettings(RedisKeys.settings(config)));
    }

    @AfterEach
    void stopServer() {
        try {
            await(limiter.close());
        } finally {
            Await.close(vertx);
            server.close();
        }
    }

    @Test
    void failsFastWhileRedisIsDownAndRecoversWhenItReturns() {
        assertThat(await(limiter.acquire("ip:192.0.2.1")).remaining()).isEqualTo(99);

        server.kill();
        for (int i = 0; i < 3; i++) {
            assertThat(failure(limiter.acquire("ip:192.0.2.1")))
                    .as("decision %d with Redis down", i + 1)
                    .isInstanceOf(LimiterException.class)
                    .hasMessageContaining(server.url());
        }
        assertThat(limiter.circuitState()).isEqualTo(CircuitState.OPEN);

        long sent = limiter.endpoint().requestsSent();
        for (int i = 0; i < 100; i++) {
            assertThat(failure(limiter.acquire("ip:192.0.2." + i)))
                    .isInstanceOf(LimiterException.class)
                    .hasMessageContaining("circuit breaker");
        }
        assertThat(limiter.endpoint().requestsSent())
                .as("commands sent while the circuit is open")
                .isEqualTo(sent);

        server.restart();
        Decision recovered = awaitRecovery();
        assertThat(limiter.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(recovered.allowed()).isTrue();
        // a restarted server without persistence starts with empty state (and without the scripts)
        assertThat(recovered.remaining()).isEqualTo(99);
        assertThat(await(limiter.acquire("ip:192.0.2.1")).remaining()).isEqualTo(98);
    }

    @Test
    void aBatchThatGetsNoAnswerFailsEveryDecisionInItAndCountsOnceForTheBreaker() {
        Context loop = OnEventLoop.eventLoop(vertx);
        OnEventLoop.inOneTurn(loop, 2, i -> limiter.acquire("ip:192.0.2.3")).forEach(answer -> await(answer));

        server.kill();
        List<Future<Decision>> answers = OnEventLoop.inOneTurn(loop, 5, i -> limiter.acquire("ip:192.0.2.4" + i));

        for (Future<Decision> answer : answers) {
            assertThat(failure(answer)).isInstanceOf(LimiterException.class).hasMessageContaining("did not answer");
        }
        assertThat(limiter.circuitState())
                .as("one failed call of 3 that open the breaker")
                .isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void decisionsFailWithALimiterExceptionWhenRedisWasNeverThere() {
        server.kill();
        assertThat(failure(limiter.acquire("ip:192.0.2.9")))
                .isInstanceOf(LimiterException.class)
                .hasMessageContaining("did not answer");
        assertThat(failure(limiter.peek("ip:192.0.2.9"))).isInstanceOf(LimiterException.class);
        assertThat(failure(limiter.reset("ip:192.0.2.9"))).isInstanceOf(LimiterException.class);
    }

    @Test
    void aScriptFlushedFromTheServerIsLoadedAgainAndTheDecisionStillMade() {
        assertThat(await(limiter.acquire("ip:192.0.2.2")).remaining()).isEqualTo(99);
        try (RedisKeys redis = new RedisKeys(vertx, server.url())) {
            assertThat(redis.send(Command.SCRIPT, "EXISTS", LuaScript.BUCKET.sha1())
                            .get(0)
                            .toInteger())
                    .isEqualTo(1);
            redis.send(Command.SCRIPT, "FLUSH");
            assertThat(redis.send(Command.SCRIPT, "EXISTS", LuaScript.BUCKET.sha1())
                            .get(0)
                            .toInteger())
                    .isZero();

            Decision afterFlush = await(limiter.acquire("ip:192.0.2.2"));
            assertThat(afterFlush.allowed()).isTrue();
            assertThat(afterFlush.remaining()).isEqualTo(98);
            assertThat(redis.send(Command.SCRIPT, "EXISTS", LuaScript.BUCKET.sha1())
                            .get(0)
                            .toInteger())
                    .isEqualTo(1);
        }
        assertThat(limiter.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    /** Polls until a decision succeeds: the breaker lets a probe through once per cool-down. */
    private Decision awaitRecovery() {
        AtomicReference<Decision> decision = new AtomicReference<>();
        Await.until(
                () -> {
                    try {
                        decision.set(await(limiter.acquire("ip:192.0.2.1")));
                        return true;
                    } catch (IllegalStateException stillDown) {
                        assertThat(stillDown.getCause()).isInstanceOf(LimiterException.class);
                        return false;
                    }
                },
                "a decision after Redis came back");
        return decision.get();
    }
}
