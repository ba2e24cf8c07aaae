package dev.tollgate.limiter;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link RateLimiter} backend owes, for each of the six algorithms, and the convention
 * every {@link LimiterProvider} follows. A backend's test extends this class and gives its provider of each
 * algorithm and the options it builds limiters with, on a given clock and in a given
 * {@linkplain LimiterOptions#scope() scope}; the algorithm-specific exact cases of the design run only for
 * their algorithm.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RateLimiterContract {

    /** 2027-01-01T00:00:00Z: aligned to every window that divides a day. */
    protected static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    protected static final List<String> ALGORITHMS = List.of(
            "fixed-window", "sliding-window-log", "sliding-window-counter", "token-bucket", "leaky-bucket", "gcra");

    /** The algorithms that count requests in windows: their capacity is the limit, the burst being for buckets. */
    protected static final Set<String> WINDOW_ALGORITHMS =
            Set.of("fixed-window", "sliding-window-log", "sliding-window-counter");

    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** The provider of {@code algorithm} on the backend under test. */
    protected abstract LimiterProvider provider(String algorithm);

    /** The options the backend under test builds a limiter with, reading time from {@code clock}, in {@code scope}. */
    protected abstract LimiterOptions options(NanoClock clock, String scope);

    /**
     * A limiter of the backend under test, for {@code spec}, reading time from {@code clock}, in {@code scope}: by
     * default the one the provider of the spec's algorithm makes with {@link #options}.
     */
    protected RateLimiter create(LimitSpec spec, NanoClock clock, String scope) {
        return provider(spec.algorithm()).create(spec, options(clock, scope));
    }

    /** A limiter of the backend under test in the default scope. */
    protected RateLimiter create(LimitSpec spec, NanoClock clock) {
        return create(spec, clock, LimiterOptions.DEFAULT_SCOPE);
    }

    /**
     * {@code count} limiters that share the state of one limit (on a distributed backend, built on
     * different nodes or clients); by default one limiter used {@code count} times.
     */
    protected List<RateLimiter> createShared(LimitSpec spec, NanoClock clock, int count) {
        RateLimiter limiter = create(spec, clock);
        List<RateLimiter> shared = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            shared.add(limiter);
        }
        return shared;
    }

    /**
     * Whether the backend gives a cancelled reservation's permits back exactly ({@link RateLimiter#cancelReservation}),
     * rather than keep them; by default the suite accepts either.
     */
    protected boolean givesReservationsBack() {
        return false;
    }

    /** A key no other test uses: distributed backends share state between tests. */
    protected String key(String name) {
        return getClass().getSimpleName() + ":" + name;
    }

    Stream<String> algorithms() {
        return ALGORITHMS.stream();
    }

    Stream<String> windowAlgorithms() {
        return ALGORITHMS.stream().filter(WINDOW_ALGORITHMS::contains);
    }

    Stream<String> bucketAlgorithms() {
        return ALGORITHMS.stream().filter(algorithm -> !WINDOW_ALGORITHMS.contains(algorithm));
    }

    // ---- the provider convention -----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void theProviderIsNamedAfterItsAlgorithmConstantlyAndInLowerCase(String algorithm) {
        LimiterProvider provider = provider(algorithm);
        String name = provider.name();
        assertThat(name).isEqualTo(algorithm).isEqualTo(name.toLowerCase(Locale.ROOT));
        assertThat(provider.name()).as("asked again").isEqualTo(name);
        String backend = provider.backend();
        assertThat(backend).isNotBlank().isEqualTo(backend.toLowerCase(Locale.ROOT));
        assertThat(provider.backend()).as("asked again").isEqualTo(backend);

        RateLimiter limiter = create(LimitSpec.of(algorithm, 3, MINUTE), ManualClock.at(START));
        assertThat(limiter.spec().algorithm())
                .as("the algorithm of the spec it enforces")
                .isEqualTo(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void aSpecOfAnotherAlgorithmIsRefusedNamingTheAlgorithm(String algorithm) {
        String other = ALGORITHMS.get((ALGORITHMS.indexOf(algorithm) + 1) % ALGORITHMS.size());
        LimitSpec spec = LimitSpec.of(other, 5, MINUTE);
        assertRefusedAt(
                () -> provider(algorithm).create(spec, options(ManualClock.at(START), LimiterOptions.DEFAULT_SCOPE)),
                "algorithm");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windowAlgorithms")
    void aWindowAlgorithmRefusesACostAboveItsLimitNamingTheCost(String algorithm) {
        LimitSpec spec = LimitSpec.of(algorithm, 5, MINUTE).withBurst(10).withCost(8);
        assertRefusedAt(() -> create(spec, ManualClock.at(START)), "cost")
                .hasMessageContaining("cost 8 is more than the limit 5");
    }

    // ---- every algorithm -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void admitsTheLimitThenBlocks(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter = create(LimitSpec.of(algorithm, 10, MINUTE), clock);
        String key = key("limit-" + algorithm);

        for (int i = 1; i <= 10; i++) {
            Decision d = await(limiter.acquire(key));
            assertThat(d.allowed()).as("request %d", i).isTrue();
            assertThat(d.remaining()).as("remaining after request %d", i).isEqualTo(10 - i);
            assertThat(d.limit()).isEqualTo(10);
            assertThat(d.retryAfterNanos()).isZero();
        }
        Decision eleventh = await(limiter.acquire(key));
        assertThat(eleventh.allowed()).isFalse();
        assertThat(eleventh.remaining()).isZero();
        assertThat(eleventh.retryAfterNanos()).isPositive();
        // a sliding-window counter may wait into the next window for the previous one to weigh less
        assertThat(eleventh.retryAfterSeconds()).isBetween(1L, 120L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void givesTheFullAllowanceBackAtTheResetTime(String algorithm) {
        ManualClock clock = ManualClock.at(START.plusSeconds(7));
        RateLimiter limiter = create(LimitSpec.of(algorithm, 5, MINUTE), clock);
        String key = key("reset-" + algorithm);
        Decision last = null;
        for (int i = 0; i < 5; i++) {
            last = await(limiter.acquire(key));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();

        Instant reset = last.resetAt();
        assertThat(reset).isAfter(clock.instant()).isBeforeOrEqualTo(START.plusSeconds(7 + 120));
        clock.set(reset);
        for (int i = 1; i <= 5; i++) {
            assertThat(await(limiter.acquire(key)).allowed())
                    .as("request %d after the reset", i)
                    .isTrue();
        }
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void keepsKeysApart(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter = create(LimitSpec.of(algorithm, 2, MINUTE), clock);
        assertThat(await(limiter.acquire(key("a-" + algorithm))).allowed()).isTrue();
        assertThat(await(limiter.acquire(key("a-" + algorithm))).allowed()).isTrue();
        assertThat(await(limiter.acquire(key("a-" + algorithm))).allowed()).isFalse();

        Decision other = await(limiter.acquire(key("b-" + algorithm)));
        assertThat(other.allowed()).isTrue();
        assertThat(other.remaining()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void limitersInDifferentScopesNeverShareStateEvenWithEqualSpecs(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        LimitSpec spec = LimitSpec.of(algorithm, 2, MINUTE);
        // rule names as scopes, braces and colons included: they must not reach the store's key as such
        RateLimiter login = create(spec, clock, "login");
        RateLimiter signup = create(spec, clock, "signup");
        RateLimiter odd = create(spec, clock, "sign}up{:" + algorithm);
        RateLimiter unscoped = create(spec, clock);
        String key = key("scoped-" + algorithm);

        assertThat(await(login.acquire(key)).allowed()).isTrue();
        assertThat(await(login.acquire(key)).allowed()).isTrue();
        assertThat(await(login.acquire(key)).allowed()).isFalse();
        for (RateLimiter other : List.of(signup, odd, unscoped)) {
            Decision untouched = await(other.peek(key));
            assertThat(untouched.count()).as("count in another scope").isZero();
            assertThat(untouched.remaining()).isEqualTo(2);
        }

        Decision first = await(signup.acquire(key));
        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).isEqualTo(1);
        await(odd.acquire(key, 2));
        assertThat(await(odd.acquire(key)).allowed()).isFalse();
        await(login.reset(key));
        assertThat(await(signup.peek(key)).remaining())
                .as("another scope's reset")
                .isEqualTo(1);
        assertThat(await(odd.acquire(key)).allowed()).isFalse();
        assertThat(await(login.acquire(key)).remaining()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void limitersInTheSameScopeWithDifferentSpecsKeepApart(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter tight = create(LimitSpec.of(algorithm, 1, MINUTE), clock, "api");
        RateLimiter loose = create(LimitSpec.of(algorithm, 3, MINUTE), clock, "api");
        String key = key("respec-" + algorithm);
        assertThat(await(tight.acquire(key)).allowed()).isTrue();
        assertThat(await(tight.acquire(key)).allowed()).isFalse();
        assertThat(await(loose.acquire(key)).remaining())
                .as("a changed limit starts afresh")
                .isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void aSevenThousandCharacterKeyIsLimitedLikeAnyKey(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter = create(LimitSpec.of(algorithm, 2, MINUTE), clock);
        String common = key("long-" + algorithm + ":");
        common = common + "k".repeat(7_000 - 1 - common.length());
        String key = common + "a";
        String neighbour = common + "b";
        assertThat(key).hasSize(7_000);

        assertThat(await(limiter.acquire(key)).remaining()).isEqualTo(1);
        assertThat(await(limiter.acquire(key)).allowed()).isTrue();
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
        assertThat(await(limiter.peek(key)).count()).isEqualTo(2);
        Decision other = await(limiter.acquire(neighbour));
        assertThat(other.allowed()).as("a key differing only in its last char").isTrue();
        assertThat(other.remaining()).isEqualTo(1);

        await(limiter.reset(key));
        assertThat(await(limiter.acquire(key)).remaining()).isEqualTo(1);
        assertThat(await(limiter.peek(neighbour)).remaining()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void retryAfterIsExactlyLongEnough(String algorithm) {
        ManualClock clock = ManualClock.at(START.plusMillis(12_345));
        RateLimiter limiter = create(LimitSpec.of(algorithm, 3, Duration.ofSeconds(10)), clock);
        String key = key("retry-" + algorithm);
        for (int i = 0; i < 3; i++) {
            assertThat(await(limiter.acquire(key)).allowed()).isTrue();
            clock.advance(Duration.ofMillis(700));
        }
        Decision denied = await(limiter.acquire(key));
        assertThat(denied.allowed()).isFalse();
        long wait = denied.retryAfterNanos();
        assertThat(wait).isPositive();

        long deniedAt = clock.epochNanos();
        clock.setEpochNanos(deniedAt + wait - 1);
        assertThat(await(limiter.peek(key)).allowed())
                .as("one nanosecond before retry-after")
                .isFalse();
        clock.setEpochNanos(deniedAt + wait);
        assertThat(await(limiter.acquire(key)).allowed()).as("at retry-after").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void takesSeveralPermitsAtOnce(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter = create(LimitSpec.of(algorithm, 10, MINUTE).withCost(3), clock);
        String key = key("cost-" + algorithm);
        assertThat(await(limiter.acquire(key)).remaining()).isEqualTo(7);
        assertThat(await(limiter.acquire(key)).remaining()).isEqualTo(4);
        Decision third = await(limiter.acquire(key));
        assertThat(third.allowed()).isTrue();
        assertThat(third.remaining()).isEqualTo(1);
        assertThat(third.count()).isEqualTo(9);

        Decision fourth = await(limiter.acquire(key));
        assertThat(fourth.allowed()).isFalse();
        assertThat(fourth.remaining()).isEqualTo(1);
        assertThat(fourth.count()).isEqualTo(9);

        Decision single = await(limiter.acquire(key, 1));
        assertThat(single.allowed()).isTrue();
        assertThat(single.remaining()).isZero();
        assertThat(single.count()).isEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void admitsExactlyTheLimitUnderConcurrency(String algorithm) throws Exception {
        ManualClock clock = ManualClock.at(START);
        List<RateLimiter> limiters = createShared(LimitSpec.of(algorithm, 10, MINUTE), clock, 30);
        String key = key("concurrent-" + algorithm);
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Decision>> decisions = new ArrayList<>();
            for (RateLimiter limiter : limiters) {
                decisions.add(CompletableFuture.supplyAsync(
                        () -> {
                            awaitLatch(go);
                            return await(limiter.acquire(key));
                        },
                        pool));
            }
            go.countDown();
            long allowed = 0;
            for (CompletableFuture<Decision> decision : decisions) {
                if (decision.get(30, TimeUnit.SECONDS).allowed()) {
                    allowed++;
                }
            }
            assertThat(allowed).isEqualTo(10);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void peekTakesNothing(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter = create(LimitSpec.of(algorithm, 3, MINUTE), clock);
        String key = key("peek-" + algorithm);
        Decision fresh = await(limiter.peek(key));
        assertThat(fresh.allowed()).isTrue();
        assertThat(fresh.remaining()).isEqualTo(3);
        assertThat(fresh.count()).isZero();
        for (int i = 0; i < 5; i++) {
            await(limiter.peek(key));
        }
        await(limiter.acquire(key));
        Decision afterOne = await(limiter.peek(key));
        assertThat(afterOne.remaining()).isEqualTo(2);
        assertThat(afterOne.count()).isEqualTo(1);
        await(limiter.acquire(key));
        await(limiter.acquire(key));
        Decision exhausted = await(limiter.peek(key));
        assertThat(exhausted.allowed()).isFalse();
        assertThat(exhausted.retryAfterNanos()).isPositive();
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void resetForgetsTheKey(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter = create(LimitSpec.of(algorithm, 2, MINUTE), clock);
        String key = key("forget-" + algorithm);
        await(limiter.acquire(key));
        await(limiter.acquire(key));
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
        await(limiter.reset(key));
        Decision again = await(limiter.acquire(key));
        assertThat(again.allowed()).isTrue();
        assertThat(again.remaining()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void rejectsImpossibleAcquisitions(String algorithm) {
        RateLimiter limiter = create(LimitSpec.of(algorithm, 5, MINUTE), ManualClock.at(START));
        assertFailsWith(limiter.acquire(key("x"), 0), "permits");
        assertFailsWith(limiter.acquire(key("x"), -3), "permits");
        assertFailsWith(limiter.acquire(key("x"), 6), "permits");
        assertFailsWith(limiter.acquire("", 1), "key");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void handlesTheLargestLimitOrRejectsItClearly(String algorithm) {
        LimitSpec huge = LimitSpec.of(algorithm, LimitSpec.MAX_PERMITS, LimitSpec.MAX_WINDOW);
        ManualClock clock = ManualClock.at(START.plusSeconds(1));
        RateLimiter limiter;
        try {
            limiter = create(huge, clock);
        } catch (SettingsException rejected) {
            assertThat(rejected.key()).as("the field at fault").isEqualTo("limit");
            assertThat(rejected.problem()).contains("limit").contains(algorithm);
            return;
        }
        String key = key("huge-" + algorithm);
        Decision all = await(limiter.acquire(key, LimitSpec.MAX_PERMITS - 1));
        assertThat(all.allowed()).isTrue();
        assertThat(all.remaining()).isEqualTo(1);
        assertThat(await(limiter.acquire(key, 1)).allowed()).isTrue();
        Decision over = await(limiter.acquire(key, 1));
        assertThat(over.allowed()).isFalse();
        assertThat(over.retryAfterNanos()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void worksWithTheShortestWindow(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter = create(LimitSpec.of(algorithm, 1, LimitSpec.MIN_WINDOW), clock);
        String key = key("short-" + algorithm);
        assertThat(await(limiter.acquire(key)).allowed()).isTrue();
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
        clock.advance(Duration.ofMillis(2));
        assertThat(await(limiter.acquire(key)).allowed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void aClockThatStepsBackAdmitsNothingExtra(String algorithm) {
        ManualClock clock = ManualClock.at(START.plusSeconds(30));
        RateLimiter limiter = create(LimitSpec.of(algorithm, 2, MINUTE), clock);
        String key = key("backwards-" + algorithm);
        await(limiter.acquire(key));
        await(limiter.acquire(key));
        clock.set(START.minusSeconds(3600));
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
    }

    // ---- the exact cases of the design -----------------------------------------------------------

    @Test
    void fixedWindowAlignsToTheEpoch() {
        ManualClock clock = ManualClock.at(START.plusSeconds(119).plusMillis(999));
        RateLimiter limiter = create(LimitSpec.of("fixed-window", 1, MINUTE), clock);
        String key = key("aligned");
        Decision first = await(limiter.acquire(key));
        assertThat(first.resetAt()).isEqualTo(START.plusSeconds(120));
        assertThat(await(limiter.acquire(key)).retryAfterNanos())
                .isEqualTo(Duration.ofMillis(1).toNanos());
        clock.set(START.plusSeconds(120));
        assertThat(await(limiter.acquire(key)).allowed()).isTrue();
    }

    @Test
    void slidingWindowLogCountsAnEntryWhileItIsYoungerThanTheWindow() {
        Instant epoch = Instant.EPOCH;
        ManualClock clock = ManualClock.at(epoch.plusSeconds(40));
        RateLimiter limiter = create(LimitSpec.of("sliding-window-log", 1, MINUTE), clock);
        await(limiter.acquire(key("at-40.000")));
        clock.set(epoch.plusMillis(40_002));
        await(limiter.acquire(key("at-40.002")));

        clock.set(epoch.plusSeconds(100));
        assertThat(await(limiter.acquire(key("at-40.000"))).allowed())
                .as("entry at 40.000 s is out")
                .isTrue();
        Decision stillIn = await(limiter.acquire(key("at-40.002")));
        assertThat(stillIn.allowed()).as("entry at 40.002 s is in").isFalse();
        assertThat(stillIn.retryAfterNanos()).isEqualTo(Duration.ofMillis(2).toNanos());
    }

    @Test
    void slidingWindowCounterWeighsThePreviousWindow() {
        ManualClock clock = ManualClock.at(START.plusSeconds(10));
        RateLimiter limiter = create(LimitSpec.of("sliding-window-counter", 10, MINUTE), clock);
        String key = key("weighted");
        for (int i = 0; i < 10; i++) {
            assertThat(await(limiter.acquire(key)).allowed()).isTrue();
        }
        clock.set(START.plusSeconds(90)); // half-way through the next window: 10 × 0.5 = 5 still count
        Decision first = await(limiter.peek(key));
        assertThat(first.count()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(await(limiter.acquire(key)).allowed())
                    .as("request %d", i + 1)
                    .isTrue();
        }
        Decision denied = await(limiter.acquire(key));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.count()).isEqualTo(10);
        // 10 × (60 − e)/60 + 5 ≤ 9 once the previous window weighs 4 or less: at e = 36 s
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void tokenBucketRetryAfterForAnEmptyBucketAndThreePermits() {
        ManualClock clock = ManualClock.at(START);
        // 0.5 tokens per second
        RateLimiter limiter =
                create(LimitSpec.of("token-bucket", 1, Duration.ofSeconds(2)).withBurst(5), clock);
        String key = key("empty-cost-3");
        assertThat(await(limiter.acquire(key, 5)).allowed()).isTrue();
        Decision denied = await(limiter.acquire(key, 3));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfterSeconds()).isEqualTo(6);
    }

    @Test
    void tokenBucketRetryAfterRoundsTwoAndAHalfSecondsUpToThree() {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter =
                create(LimitSpec.of("token-bucket", 1, Duration.ofSeconds(2)).withBurst(5), clock);
        String key = key("two-and-a-half");
        await(limiter.acquire(key, 5));
        clock.advance(Duration.ofMillis(1500)); // 0.75 tokens: 1.25 short of 2 → 2.5 s
        Decision denied = await(limiter.acquire(key, 2));
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(2500));
        assertThat(denied.retryAfterSeconds()).isEqualTo(3);
    }

    @Test
    void tokenBucketRetryAfterWithThreeTokensLeftAndCostFive() {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter =
                create(LimitSpec.of("token-bucket", 1, Duration.ofSeconds(2)).withBurst(8), clock);
        String key = key("three-left");
        await(limiter.acquire(key, 5));
        Decision denied = await(limiter.acquire(key, 5));
        assertThat(denied.remaining()).isEqualTo(3);
        assertThat(denied.retryAfterSeconds()).isEqualTo(4);
    }

    @Test
    void tokenBucketRefillsAtLimitPerWindowUpToTheBurst() {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter =
                create(LimitSpec.of("token-bucket", 3, Duration.ofSeconds(1)).withBurst(6), clock);
        String key = key("refill");
        assertThat(await(limiter.acquire(key, 6)).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        Decision refilled = await(limiter.peek(key));
        assertThat(refilled.remaining()).isEqualTo(3);
        clock.advance(Duration.ofHours(1));
        assertThat(await(limiter.peek(key)).remaining()).isEqualTo(6);
    }

    @Test
    void leakyBucketDrainsAtLimitPerWindow() {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter =
                create(LimitSpec.of("leaky-bucket", 1, Duration.ofSeconds(1)).withBurst(5), clock);
        String key = key("drain");
        for (int i = 0; i < 5; i++) {
            assertThat(await(limiter.acquire(key)).allowed()).isTrue();
        }
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(await(limiter.acquire(key)).allowed()).isTrue();
        assertThat(await(limiter.acquire(key)).allowed()).isTrue();
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
    }

    @Test
    void gcraSpacesRequestsByTheEmissionIntervalAfterTheBurst() {
        ManualClock clock = ManualClock.at(START);
        // emission interval 1 s, burst 3
        RateLimiter limiter =
                create(LimitSpec.of("gcra", 10, Duration.ofSeconds(10)).withBurst(3), clock);
        String key = key("spacing");
        for (int i = 0; i < 3; i++) {
            assertThat(await(limiter.acquire(key)).allowed()).isTrue();
        }
        Decision denied = await(limiter.acquire(key));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(denied.resetAt()).isEqualTo(START.plusSeconds(3));
        clock.advance(Duration.ofSeconds(1));
        assertThat(await(limiter.acquire(key)).allowed()).isTrue();
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
    }

    // ---- reservations: the bucket algorithms take permits ahead of time ---------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketAlgorithms")
    void reservesPermitsAheadWithTheExactDelayUntilEachIsDue(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        // one permit a second, two at once
        RateLimiter limiter =
                create(LimitSpec.of(algorithm, 1, Duration.ofSeconds(1)).withBurst(2), clock);
        String key = key("reserve-" + algorithm);
        Duration maxDelay = Duration.ofSeconds(3);
        assertThat(limiter.reserves()).isTrue();

        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Decision reserved = await(limiter.reserve(key, 1, maxDelay));
            assertThat(reserved.allowed()).as("reservation %d", i + 1).isTrue();
            assertThat(reserved.retryAfterNanos()).isZero();
            delays.add(reserved.delay());
        }
        assertThat(delays)
                .containsExactly(
                        Duration.ZERO,
                        Duration.ZERO,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3));

        Decision beyond = await(limiter.reserve(key, 1, maxDelay));
        assertThat(beyond.allowed()).as("due in 4 s, past the 3 s it may wait").isFalse();
        assertThat(beyond.delayNanos()).isZero();
        assertThat(beyond.retryAfter()).as("until it would pass at once").isEqualTo(Duration.ofSeconds(4));
        assertThat(beyond.remaining()).isZero();
        assertThat(beyond.count()).as("the burst and the three reserved").isEqualTo(5);
        assertThat(beyond.resetAt()).isEqualTo(START.plusSeconds(5));

        assertThat(await(limiter.acquire(key)).allowed())
                .as("a caller that does not wait never passes those that do")
                .isFalse();

        clock.advance(Duration.ofSeconds(1));
        assertThat(await(limiter.reserve(key, 1, maxDelay)).delay())
                .as("a second later one more fits, due in 3 s")
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(await(limiter.reserve(key, 1, maxDelay)).allowed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketAlgorithms")
    void aReservationDueExactlyAtTheMaxDelayIsAdmittedAndOneAfterItIsNot(String algorithm) {
        // a permit every 500 ms, one at once; the clock between two units of the limiter's time
        ManualClock clock = ManualClock.at(START.plusMillis(300));
        RateLimiter limiter =
                create(LimitSpec.of(algorithm, 2, Duration.ofSeconds(1)).withBurst(1), clock);
        String key = key("bound-" + algorithm);
        Duration maxDelay = Duration.ofMillis(500);

        assertThat(await(limiter.reserve(key, 1, maxDelay)).delay()).isZero();
        Decision second = await(limiter.reserve(key, 1, maxDelay));
        assertThat(second.allowed()).isTrue();
        assertThat(second.delay()).isEqualTo(maxDelay);
        Decision third = await(limiter.reserve(key, 1, maxDelay));
        assertThat(third.allowed()).as("due in 1 s").isFalse();
        assertThat(third.retryAfter()).isEqualTo(Duration.ofSeconds(1));

        clock.advance(Duration.ofMillis(1));
        Decision later = await(limiter.reserve(key, 1, maxDelay));
        assertThat(later.allowed()).as("due in 999 ms").isFalse();
        clock.advance(Duration.ofMillis(499));
        assertThat(await(limiter.reserve(key, 1, maxDelay)).delay())
                .as("500 ms after the second reservation, the third is due in 500 ms")
                .isEqualTo(maxDelay);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketAlgorithms")
    void reservesSeveralPermitsAtOnce(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        // a permit every 100 ms, ten at once
        RateLimiter limiter = create(LimitSpec.of(algorithm, 10, Duration.ofSeconds(1)), clock);
        String key = key("several-" + algorithm);
        assertThat(await(limiter.reserve(key, 8, Duration.ofSeconds(1))).delay())
                .isZero();
        Decision five = await(limiter.reserve(key, 5, Duration.ofSeconds(1)));
        assertThat(five.allowed()).isTrue();
        assertThat(five.delay()).as("three past the burst").isEqualTo(Duration.ofMillis(300));
        assertThat(await(limiter.reserve(key, 8, Duration.ofSeconds(1))).allowed())
                .as("due in 1.1 s")
                .isFalse();
        assertThat(await(limiter.reserve(key, 7, Duration.ofSeconds(1))).delay())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketAlgorithms")
    void aReservationWithoutDelayIsAnAcquisition(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter = create(LimitSpec.of(algorithm, 2, MINUTE), clock);
        String key = key("no-delay-" + algorithm);
        assertThat(await(limiter.reserve(key, 1, Duration.ZERO)).allowed()).isTrue();
        assertThat(await(limiter.reserve(key, 1, Duration.ZERO)).allowed()).isTrue();
        Decision third = await(limiter.reserve(key, 1, Duration.ZERO));
        assertThat(third.allowed()).isFalse();
        assertThat(third.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketAlgorithms")
    void reservesExactlyWhatFitsUnderConcurrency(String algorithm) throws Exception {
        ManualClock clock = ManualClock.at(START);
        // one permit a second, five at once, ten seconds of waiting: fifteen fit
        List<RateLimiter> limiters =
                createShared(LimitSpec.of(algorithm, 1, Duration.ofSeconds(1)).withBurst(5), clock, 30);
        String key = key("concurrent-reserve-" + algorithm);
        ExecutorService pool = Executors.newFixedThreadPool(30);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Decision>> decisions = new ArrayList<>();
            for (RateLimiter limiter : limiters) {
                decisions.add(CompletableFuture.supplyAsync(
                        () -> {
                            awaitLatch(go);
                            return await(limiter.reserve(key, 1, Duration.ofSeconds(10)));
                        },
                        pool));
            }
            go.countDown();
            List<Long> delaySeconds = new ArrayList<>();
            for (CompletableFuture<Decision> decision : decisions) {
                Decision decided = decision.get(30, TimeUnit.SECONDS);
                if (decided.allowed()) {
                    delaySeconds.add(decided.delay().toSeconds());
                }
            }
            assertThat(delaySeconds)
                    .as("each admitted reservation due a second after the one before")
                    .containsExactlyInAnyOrder(0L, 0L, 0L, 0L, 0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketAlgorithms")
    void aCancelledReservationNeverLetsMorePassThanTheRate(String algorithm) {
        ManualClock clock = ManualClock.at(START);
        RateLimiter limiter = create(LimitSpec.of(algorithm, 1, Duration.ofSeconds(1)), clock);
        String key = key("cancel-" + algorithm);
        Duration maxDelay = Duration.ofSeconds(5);
        assertThat(await(limiter.reserve(key, 1, maxDelay)).delay()).isZero();
        assertThat(await(limiter.reserve(key, 1, maxDelay)).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(await(limiter.reserve(key, 1, maxDelay)).delay()).isEqualTo(Duration.ofSeconds(2));
        await(limiter.cancelReservation(key, 1));
        Decision next = await(limiter.reserve(key, 1, maxDelay));
        if (givesReservationsBack()) {
            assertThat(next.delay()).as("in the cancelled one's place").isEqualTo(Duration.ofSeconds(2));
        } else {
            assertThat(next.delay())
                    .as("given back (due in 2 s) or kept (due in 3 s), never sooner")
                    .isIn(Duration.ofSeconds(2), Duration.ofSeconds(3));
        }
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketAlgorithms")
    void rejectsImpossibleReservations(String algorithm) {
        RateLimiter limiter = create(LimitSpec.of(algorithm, 5, MINUTE), ManualClock.at(START));
        String key = key("impossible-reserve-" + algorithm);
        assertFailsWith(limiter.reserve(key, 1, Duration.ofMillis(-1)), "maxDelay");
        assertFailsWith(limiter.reserve(key, 1, RateLimiter.MAX_DELAY.plusNanos(1)), "maxDelay");
        assertFailsWith(limiter.reserve(key, 6, Duration.ofSeconds(1)), "6");
        assertFailsWith(limiter.reserve("", 1, Duration.ofSeconds(1)), "key");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windowAlgorithms")
    void aWindowAlgorithmDoesNotReserve(String algorithm) {
        RateLimiter limiter = create(LimitSpec.of(algorithm, 5, MINUTE), ManualClock.at(START));
        assertThat(limiter.reserves()).isFalse();
        assertThatThrownBy(() -> await(limiter.reserve(key("window-reserve-" + algorithm), 1, Duration.ofSeconds(1))))
                .hasCauseInstanceOf(UnsupportedOperationException.class);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /**
     * {@code refused} throws the {@link SettingsException} of a spec a provider cannot enforce: keyed by the spec's
     * field at fault, {@code field}, relative to the spec.
     */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertRefusedAt(
            ThrowingCallable refused, String field) {
        return assertThatThrownBy(refused).isInstanceOfSatisfying(SettingsException.class, e -> {
            assertThat(e.key()).as("the field at fault").isEqualTo(field).isIn(LimitSpec.FIELDS);
            assertThat(e.problem()).as("what is wrong and what would work").isNotBlank();
            assertThat(e).hasMessage(field + ": " + e.problem());
        });
    }

    private static void assertFailsWith(Future<?> future, String mentioned) {
        assertThatThrownBy(() -> await(future))
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .cause()
                .hasMessageContaining(mentioned);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
