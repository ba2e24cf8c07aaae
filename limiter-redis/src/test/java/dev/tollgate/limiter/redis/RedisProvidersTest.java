package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Building limiters: what the providers accept, what they refuse, and how they say so. */
class RedisProvidersTest {

    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        Await.close(vertx);
    }

    @Test
    void serviceLoaderFindsTheSixAlgorithmsOnTheRedisBackend() {
        assertThat(registry.algorithms("redis"))
                .containsExactly(
                        "fixed-window",
                        "gcra",
                        "leaky-bucket",
                        "sliding-window-counter",
                        "sliding-window-log",
                        "token-bucket");
    }

    @Test
    void withoutVertxTheErrorSaysHowToGiveIt() {
        LimitSpec spec = LimitSpec.of("token-bucket", 5, Duration.ofMinutes(1));
        assertThatThrownBy(() -> registry.create(spec, "redis", LimiterOptions.defaults()))
                .isInstanceOf(LimiterException.class)
                .hasMessageContaining("no Vert.x instance")
                .hasMessageContaining("withVertx");
    }

    @Test
    void aBadSettingIsNamed() {
        LimitSpec spec = LimitSpec.of("token-bucket", 5, Duration.ofMinutes(1));
        assertThatThrownBy(() -> create(spec, new JsonObject().put("poolSize", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'poolSize'");
        assertThatThrownBy(() -> create(spec, new JsonObject().put("timeout", "soon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'timeout'");
        assertThatThrownBy(() -> create(spec, new JsonObject().put("url", "http://127.0.0.1:6379")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'url'");
        assertThatThrownBy(() -> create(spec, new JsonObject().put("keyPrefix", "a{b}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hash tag");
        assertThatThrownBy(() -> create(spec, new JsonObject().put("poolsize", 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key")
                .hasMessageContaining("poolSize");
    }

    @Test
    void settingsTakeNumbersAndDurationsAsTheConfigFileWritesThem() {
        RedisSettings settings = RedisSettings.from(new JsonObject()
                .put("poolSize", "16")
                .put("timeout", 250)
                .put("breakerCooldown", "1m")
                .put("url", "redis://:secret@10.0.0.1:6380/2"));
        assertThat(settings.poolSize()).isEqualTo(16);
        assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.breakerCooldown()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.safeUrl()).doesNotContain("secret").contains("10.0.0.1:6380");
    }

    @Test
    void aSlidingWindowCounterTooLargeForExactDoublesIsRefused() {
        LimitSpec spec = LimitSpec.of("sliding-window-counter", 1_000_000_000, Duration.ofDays(365));
        assertThatThrownBy(() -> create(spec, new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sliding-window-counter")
                .hasMessageContaining("limit 1000000000");
    }

    @Test
    void aSlidingWindowCounterCountsInCoarserTicksWhenMicrosecondsWouldBeTooFine() {
        // a million per day: 8.64e16 in microseconds, 8.64e13 in milliseconds
        LimitSpec spec = LimitSpec.of("sliding-window-counter", 1_000_000, Duration.ofDays(1));
        assertThat(create(spec, new JsonObject())).isNotNull();
    }

    @Test
    void aWindowOfAFractionOfAMicrosecondIsRefused() {
        LimitSpec spec = LimitSpec.of("fixed-window", 5, Duration.ofNanos(1_000_000_500));
        assertThatThrownBy(() -> create(spec, new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole microseconds");
    }

    @Test
    void bucketsThatCannotRefillExactlyAreRefusedClearly() {
        LimitSpec spec = LimitSpec.of("gcra", 999_999_937, Duration.ofDays(365).minusMillis(1));
        assertThatThrownBy(() -> create(spec, new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gcra on the redis backend cannot refill a burst of 999999937");
    }

    @Test
    void windowAlgorithmsRejectACostAboveTheLimit() {
        LimitSpec spec = LimitSpec.of("fixed-window", 5, Duration.ofMinutes(1))
                .withBurst(10)
                .withCost(8);
        assertThatThrownBy(() -> create(spec, new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cost 8 is more than the limit 5");
    }

    @Test
    void aProviderRefusesASpecOfAnotherAlgorithm() {
        LimitSpec spec = LimitSpec.of("gcra", 5, Duration.ofMinutes(1));
        assertThatThrownBy(() -> new RedisTokenBucketProvider()
                        .create(spec, LimiterOptions.defaults().withVertx(vertx)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token-bucket provider cannot build a gcra limiter");
    }

    private Object create(LimitSpec spec, JsonObject config) {
        var limiter = registry.create(
                spec, "redis", LimiterOptions.defaults().withVertx(vertx).withConfig(config));
        await(limiter.close());
        return limiter;
    }
}
