package dev.tollgate.limiter.redis;

import static dev.tollgate.limiter.RateLimiterContract.assertRefusedAt;
import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterException;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
    void serviceLoaderFindsTheSixRateAlgorithmsAndConcurrencyOnTheRedisBackend() {
        assertThat(registry.algorithms("redis"))
                .containsExactly(
                        "concurrency",
                        "fixed-window",
                        "gcra",
                        "leaky-bucket",
                        "quota",
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
    void aBadSettingIsNamedInFull() {
        LimitSpec spec = LimitSpec.of("token-bucket", 5, Duration.ofMinutes(1));
        assertBadSetting(
                () -> create(spec, new JsonObject().put("poolSize", 0)),
                "limiter.redis.poolSize",
                "expected a whole number between 1 and 1000000, got 0");
        assertBadSetting(
                () -> create(spec, new JsonObject().put("batch", 1001)),
                "limiter.redis.batch",
                "expected a whole number between 1 and 1000, got 1001");
        assertBadSetting(
                () -> create(spec, new JsonObject().put("timeout", "soon")),
                "limiter.redis.timeout",
                "invalid duration 'soon'");
        assertBadSetting(
                () -> create(spec, new JsonObject().put("timeout", 0)),
                "limiter.redis.timeout",
                "expected a positive whole number of milliseconds or a duration like 500ms, got 0");
        assertBadSetting(
                () -> create(spec, new JsonObject().put("breakerCooldown", "500us")),
                "limiter.redis.breakerCooldown",
                "must be at least 1ms, got PT0.0005S");
        assertBadSetting(
                () -> create(spec, new JsonObject().put("url", "http://127.0.0.1:6379")),
                "limiter.redis.url",
                "expected redis://host:port or rediss://host:port, got 'http://127.0.0.1:6379'");
        assertBadSetting(
                () -> create(spec, new JsonObject().put("url", " ")),
                "limiter.redis.url",
                "expected redis://host:port or rediss://host:port, got ''");
        assertBadSetting(
                        () -> create(spec, new JsonObject().put("keyPrefix", "a{b}")),
                        "limiter.redis.keyPrefix",
                        "must be non-empty and free of '{' and '}'")
                .hasMessageContaining("hash tag");
        assertBadSetting(
                () -> create(spec, new JsonObject().put("keyPrefix", "")),
                "limiter.redis.keyPrefix",
                "must be non-empty");
        assertBadSetting(
                        () -> create(spec, new JsonObject().put("poolsize", 4)),
                        "limiter.redis.poolsize",
                        "unknown setting of the redis limiter backend; known: ")
                .hasMessageContaining("poolSize");
    }

    @Test
    void settingsAreNamedUnderWhicheverSectionTheyCameFrom() {
        assertThatThrownBy(() -> RedisSettings.from(Settings.of("backends[1]", new JsonObject().put("poolSize", -1))))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo("backends[1].poolSize"));
    }

    @Test
    void settingsTakeNumbersAndDurationsAsTheConfigFileWritesThem() {
        RedisSettings settings = RedisSettings.from(RedisKeys.settings(new JsonObject()
                .put("poolSize", "16")
                .put("batch", "32")
                .put("timeout", 250)
                .put("breakerCooldown", "1m")
                .put("url", "redis://:secret@10.0.0.1:6380/2")));
        assertThat(settings.poolSize()).isEqualTo(16);
        assertThat(settings.batch()).isEqualTo(32);
        assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.breakerCooldown()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.safeUrl()).doesNotContain("secret").contains("10.0.0.1:6380");
    }

    @Test
    void withoutSettingsEveryDefaultHolds() {
        RedisSettings settings = RedisSettings.from(Settings.empty("limiter.redis"));
        assertThat(settings.url()).isEqualTo(RedisSettings.DEFAULT_URL);
        assertThat(settings.keyPrefix()).isEqualTo(RedisSettings.DEFAULT_KEY_PREFIX);
        assertThat(settings.poolSize()).isEqualTo(8);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.batch()).isEqualTo(64);
    }

    @Test
    void aSlidingWindowCounterTooLargeForExactDoublesIsRefused() {
        LimitSpec spec = LimitSpec.of("sliding-window-counter", 1_000_000_000, Duration.ofDays(365));
        assertRefusedAt(() -> create(spec, new JsonObject()), "limit")
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
        assertRefusedAt(() -> create(spec, new JsonObject()), "window").hasMessageContaining("whole microseconds");
    }

    @Test
    void bucketsThatCannotRefillExactlyAreRefusedClearly() {
        LimitSpec spec = LimitSpec.of("gcra", 999_999_937, Duration.ofDays(365).minusMillis(1));
        assertRefusedAt(() -> create(spec, new JsonObject()), "burst")
                .hasMessageContaining("gcra on the redis backend cannot refill a burst of 999999937");
    }

    @Test
    void windowAlgorithmsRejectACostAboveTheLimit() {
        LimitSpec spec = LimitSpec.of("fixed-window", 5, Duration.ofMinutes(1))
                .withBurst(10)
                .withCost(8);
        assertRefusedAt(() -> create(spec, new JsonObject()), "cost")
                .hasMessageContaining("cost 8 is more than the limit 5");
    }

    @Test
    void aProviderRefusesASpecOfAnotherAlgorithm() {
        LimitSpec spec = LimitSpec.of("gcra", 5, Duration.ofMinutes(1));
        assertRefusedAt(
                        () -> new RedisTokenBucketProvider()
                                .create(spec, LimiterOptions.defaults().withVertx(vertx)),
                        "algorithm")
                .hasMessageContaining("token-bucket provider cannot build a gcra limiter");
    }

    private Object create(LimitSpec spec, JsonObject config) {
        var limiter = registry.create(
                spec, "redis", LimiterOptions.defaults().withVertx(vertx).withSettings(RedisKeys.settings(config)));
        await(limiter.close());
        return limiter;
    }

    /** {@code bad} throws a {@link SettingsException} at {@code key} whose problem starts with {@code problem}. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertBadSetting(
            ThrowingCallable bad, String key, String problem) {
        return assertThatThrownBy(bad)
                .isInstanceOfSatisfying(SettingsException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.problem()).startsWith(problem);
                })
                .hasMessageStartingWith(key + ": " + problem);
    }
}
