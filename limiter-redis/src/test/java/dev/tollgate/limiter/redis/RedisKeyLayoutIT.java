package dev.tollgate.limiter.redis;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.test.support.Await;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The keys the backend writes: their names, their expiry, and the time written into them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisKeyLayoutIT {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    private final String prefix = RedisKeys.uniquePrefix("layout");
    private final Vertx vertx = Vertx.vertx();
    private final RedisKeys redis = new RedisKeys(vertx, RedisKeys.LOCAL_URL);
    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "fixed-window",
                "sliding-window-log",
                "sliding-window-counter",
                "token-bucket",
                "leaky-bucket",
                "gcra"
            })
    void everyKeyOfADecisionSharesOneClusterHashTag(String algorithm) {
        LimitSpec spec = LimitSpec.of(algorithm, 10, Duration.ofMinutes(1));
        // braces in a rule's name or a client key must not split a decision's keys over slots
        for (String scope : List.of("", "login", "rule}{name")) {
            RateLimiter limiter = create(spec, ManualClock.at(START), scope);
            String fingerprint = RedisRateLimiter.fingerprint(spec, scope);
            for (String key : List.of("ip:203.0.113.5", "header:x-api-key:a}b{c", "}{")) {
                await(limiter.acquire(key));
                String expectedStart = prefix + ":{" + fingerprint + ":" + key + "}:";
                List<String> written = redis.keys(prefix).stream()
                        .filter(k -> k.startsWith(expectedStart))
                        .toList();
                assertThat(written).as("keys of " + key).hasSize(algorithm.equals("sliding-window-log") ? 2 : 1);
                Set<String> tags =
                        written.stream().map(RedisKeyLayoutIT::hashTag).collect(Collectors.toSet());
                assertThat(tags).hasSize(1);
                assertThat(tags.iterator().next()).startsWith(fingerprint + ":");
            }
        }
    }

    @Test
    void theFingerprintIsADigestOfTheScopeAlgorithmLimitWindowAndBurst() {
        LimitSpec spec =
                LimitSpec.of("token-bucket", 100, Duration.ofSeconds(1)).withBurst(200);
        // the examples of docs/redis.md: SHA-1 of "token-bucket|100|1000000000|200" (the default scope, as
        // before scopes existed) and of the same followed by "|api", 12 hex digits
        assertThat(RedisRateLimiter.fingerprint(spec, "")).isEqualTo("20ec2d493606");
        assertThat(RedisRateLimiter.fingerprint(spec, "api")).isEqualTo("c0d25bcf9f81");
        assertThat(RedisRateLimiter.fingerprint(spec.withCost(5), "api"))
                .as("the cost is per request")
                .isEqualTo("c0d25bcf9f81");
        assertThat(RedisRateLimiter.fingerprint(spec.withBurst(201), "api")).isNotEqualTo("c0d25bcf9f81");
        assertThat(RedisRateLimiter.fingerprint(spec, "api ")).isNotEqualTo("c0d25bcf9f81");
    }

    @Test
    void aScopeOfAnyLengthAndCharactersLeavesTheKeyAsShortAsTheDefaultScope() {
        LimitSpec spec = LimitSpec.of("gcra", 10, Duration.ofMinutes(1));
        String scope = "{rule}:".repeat(2_000) + "é€😀";
        RedisRateLimiter unscoped = (RedisRateLimiter) create(spec, ManualClock.at(START), "");
        RedisRateLimiter scoped = (RedisRateLimiter) create(spec, ManualClock.at(START), scope);
        String key = "user:42";
        await(scoped.acquire(key));
        String written = scoped.redisKeys(key)[0];
        assertThat(redis.send(Command.EXISTS, written).toInteger()).isEqualTo(1);
        assertThat(written)
                .hasSameSizeAs(unscoped.redisKeys(key)[0])
                .isNotEqualTo(unscoped.redisKeys(key)[0])
                .isEqualTo(prefix + ":{" + RedisRateLimiter.fingerprint(spec, scope) + ":user:42}:gcra");
    }

    @Test
    void aScopeAndAKeyNeverRunIntoEachOther() {
        // "a" + "b:c" and "a:b" + "c" would read alike if the scope were written next to the key
        LimitSpec spec = LimitSpec.of("fixed-window", 1, Duration.ofMinutes(1));
        RateLimiter first = create(spec, ManualClock.at(START), "a");
        RateLimiter second = create(spec, ManualClock.at(START), "a:b");
        assertThat(await(first.acquire("b:c")).allowed()).isTrue();
        assertThat(await(second.acquire("c")).allowed()).isTrue();
        assertThat(await(first.acquire("b:c")).allowed()).isFalse();
    }

    @Test
    void aLongClientKeyIsWrittenInItsBoundedForm() {
        LimitSpec spec = LimitSpec.of("sliding-window-log", 10, Duration.ofMinutes(1));
        RedisRateLimiter limiter = (RedisRateLimiter) create(spec, ManualClock.at(START), "api");
        String key = "header:x-api-key:" + "x".repeat(6_983);
        await(limiter.acquire(key));
        String start =
                prefix + ":{" + RedisRateLimiter.fingerprint(spec, "api") + ":" + LimiterKeys.bounded(key) + "}:";
        assertThat(limiter.redisKeys(key)).containsExactly(start + "log", start + "n");
        assertThat(redis.send(Command.EXISTS, (Object[]) limiter.redisKeys(key)).toInteger())
                .isEqualTo(2);
        assertThat(start)
                .startsWith(prefix + ":{")
                .contains(":header:x-api-key:xxxxxxxxxxxxxxx~sha256:")
                .hasSize(prefix.length() + 100);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "fixed-window",
                "sliding-window-log",
                "sliding-window-counter",
                "token-bucket",
                "leaky-bucket",
                "gcra"
            })
    void keysExpireOnceTheirStateIsSpentPlusTheGrace(String algorithm) {
        // at the start of a minute: every algorithm's state of one request is spent within two windows
        RateLimiter limiter = create(LimitSpec.of(algorithm, 10, Duration.ofMinutes(1)), NanoClock.system());
        String key = "ip:203.0.113.6";
        await(limiter.acquire(key));
        for (String redisKey : ((RedisRateLimiter) limiter).redisKeys(key)) {
            long ttl = redis.send(Command.PTTL, redisKey).toLong();
            assertThat(ttl).as("PTTL of " + redisKey).isPositive().isLessThanOrEqualTo(2 * 60_000 + 1_000);
        }
    }

    @Test
    void aBucketKeyLivesAsLongAsTheBucketTakesToRefill() {
        // 2 tokens out of a bucket refilling 1 per 10 s: full again after 20 s
        RateLimiter limiter =
                create(LimitSpec.of("token-bucket", 1, Duration.ofSeconds(10)).withBurst(5), ManualClock.at(START));
        await(limiter.acquire("ip:203.0.113.7", 2));
        long ttl = redis.send(Command.PTTL, ((RedisRateLimiter) limiter).redisKeys("ip:203.0.113.7")[0])
                .toLong();
        assertThat(ttl).isBetween(19_000L, 21_000L);
    }

    @Test
    void aSpentKeyDisappearsFromRedis() {
        RateLimiter limiter = registry.create(
                LimitSpec.of("fixed-window", 5, Duration.ofMillis(50)),
                "redis",
                LimiterOptions.defaults()
                        .withVertx(vertx)
                        .withSettings(
                                RedisKeys.settings(RedisKeys.testConfig(prefix).put("expiryGrace", "1ms"))));
        String redisKey = ((RedisRateLimiter) limiter).redisKeys("ip:203.0.113.8")[0];
        await(limiter.acquire("ip:203.0.113.8"));
        Await.until(() -> redis.send(Command.EXISTS, redisKey).toInteger() == 0, "the spent key to expire");
    }

    @Test
    void theInjectedClockIsTheTimeWrittenToRedis() {
        ManualClock clock = ManualClock.at(START.plusMillis(1234));
        RateLimiter limiter = create(LimitSpec.of("fixed-window", 5, Duration.ofMinutes(1)), clock);
        await(limiter.acquire("ip:203.0.113.9"));
        String redisKey = ((RedisRateLimiter) limiter).redisKeys("ip:203.0.113.9")[0];
        long micros = START.toEpochMilli() * 1_000 + 1_234_000;
        // the window's start, the permits counted in it, the time of the latest decision
        assertThat(redis.send(Command.GET, redisKey).toString())
                .isEqualTo(START.toEpochMilli() * 1_000 + " 1 " + micros);
    }

    @Test
    void resetDeletesTheKeys() {
        RateLimiter limiter =
                create(LimitSpec.of("sliding-window-log", 5, Duration.ofMinutes(1)), ManualClock.at(START));
        await(limiter.acquire("ip:203.0.113.10"));
        String[] keys = ((RedisRateLimiter) limiter).redisKeys("ip:203.0.113.10");
        assertThat(redis.send(Command.EXISTS, (Object[]) keys).toInteger()).isEqualTo(2);
        await(limiter.reset("ip:203.0.113.10"));
        assertThat(redis.send(Command.EXISTS, (Object[]) keys).toInteger()).isZero();
    }

    @Test
    void limitersOfDifferentSpecsKeepApartOnTheSameClientKey() {
        ManualClock clock = ManualClock.at(START);
        RateLimiter tight = create(LimitSpec.of("fixed-window", 1, Duration.ofMinutes(1)), clock);
        RateLimiter loose = create(LimitSpec.of("fixed-window", 2, Duration.ofMinutes(1)), clock);
        assertThat(await(tight.acquire("user:42")).allowed()).isTrue();
        assertThat(await(tight.acquire("user:42")).allowed()).isFalse();
        assertThat(await(loose.acquire("user:42")).remaining()).isEqualTo(1);
    }

    /** The part of a key Redis Cluster hashes: between the first '{' and the next '}', when not empty. */
    private static String hashTag(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return key.substring(open + 1, close);
            }
        }
        return key;
    }

    private RateLimiter create(LimitSpec spec, NanoClock clock) {
        return create(spec, clock, LimiterOptions.DEFAULT_SCOPE);
    }

    private RateLimiter create(LimitSpec spec, NanoClock clock, String scope) {
        return registry.create(
                spec,
                "redis",
                LimiterOptions.defaults()
                        .withClock(clock)
                        .withScope(scope)
                        .withVertx(vertx)
                        .withSettings(RedisKeys.settings(RedisKeys.testConfig(prefix))));
    }

    @AfterAll
    void deleteTheKeysAndClose() {
        try {
            redis.deleteAll(prefix);
            redis.close();
        } finally {
            Await.close(vertx);
        }
    }
}
