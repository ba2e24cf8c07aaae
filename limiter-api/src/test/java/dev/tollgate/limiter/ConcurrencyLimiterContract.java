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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every {@link ConcurrencyLimiter} backend owes ({@value ConcurrencyLimiter#ALGORITHM}). A backend's
 * test extends this class and gives its provider and the options it builds limiters with; a backend shared by
 * several nodes says so ({@link #slotsExpire()}), and is then held to giving slots back after the slot timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConcurrencyLimiterContract {

    /** 2027-01-01T00:00:00Z. */
    protected static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    private static final Duration TIMEOUT = ConcurrencyLimiter.DEFAULT_SLOT_TIMEOUT;

    /** The backend's provider of {@value ConcurrencyLimiter#ALGORITHM}. */
    protected abstract LimiterProvider provider();

    /** The options the backend under test builds a limiter with, reading time from {@code clock}, in {@code scope}. */
    protected abstract LimiterOptions options(NanoClock clock, String scope);

    /** Whether the backend takes back a slot held past the slot timeout (a shared backend must). */
    protected abstract boolean slotsExpire();

    /** A limiter of the backend under test in {@code scope}. */
    protected ConcurrencyLimiter create(LimitSpec spec, NanoClock clock, String scope) {
        RateLimiter limiter = provider().create(spec, options(clock, scope));
        assertThat(limiter).isInstanceOf(ConcurrencyLimiter.class);
        return (ConcurrencyLimiter) limiter;
    }

    protected ConcurrencyLimiter create(LimitSpec spec, NanoClock clock) {
        return create(spec, clock, LimiterOptions.DEFAULT_SCOPE);
    }

    /** {@code count} limiters sharing one limit (on a distributed backend, on different nodes); by default one. */
    protected List<ConcurrencyLimiter> createShared(LimitSpec spec, NanoClock clock, int count) {
        ConcurrencyLimiter limiter = create(spec, clock);
        List<ConcurrencyLimiter> shared = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            shared.add(limiter);
        }
        return shared;
    }

    /** A key no other test uses: distributed backends share state between tests. */
    protected String key(String name) {
        return getClass().getSimpleName() + ":" + name;
    }

    private static LimitSpec spec(long limit) {
        return new LimitSpec(ConcurrencyLimiter.ALGORITHM, limit, TIMEOUT, limit, 1);
    }

    @Test
    void theProviderIsNamedAfterTheAlgorithm() {
        assertThat(provider().name()).isEqualTo(ConcurrencyLimiter.ALGORITHM);
        ConcurrencyLimiter limiter = create(spec(3), ManualClock.at(START));
        assertThat(limiter.spec().algorithm()).isEqualTo(ConcurrencyLimiter.ALGORITHM);
        assertThat(limiter.slotTimeout()).isEqualTo(TIMEOUT);
    }

    @Test
    void aSpecOfAnotherAlgorithmIsRefusedNamingTheAlgorithm() {
        assertThatThrownBy(() ->
                        provider().create(LimitSpec.of("fixed-window", 3, TIMEOUT), options(ManualClock.at(START), "")))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo("algorithm"));
    }

    @Test
    void aCostAboveTheLimitIsRefusedNamingTheCost() {
        LimitSpec spec = new LimitSpec(ConcurrencyLimiter.ALGORITHM, 3, TIMEOUT, 5, 4);
        assertThatThrownBy(() -> provider().create(spec, options(ManualClock.at(START), "")))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo("cost"));
    }

    @Test
    void holdsTheLimitInFlightThenRefusesWithARetryAfterOfOneSecond() {
        ManualClock clock = ManualClock.at(START);
        ConcurrencyLimiter limiter = create(spec(3), clock);
        String key = key("holds");
        for (int i = 1; i <= 3; i++) {
            Decision taken = await(limiter.acquire(key));
            assertThat(taken.allowed()).isTrue();
            assertThat(taken.limit()).isEqualTo(3);
            assertThat(taken.count()).isEqualTo(i);
            assertThat(taken.remaining()).isEqualTo(3 - i);
            assertThat(taken.retryAfterNanos()).isZero();
            assertThat(taken.resetEpochNanos()).isEqualTo(clock.epochNanos());
        }
        clock.advance(Duration.ofSeconds(30));
        Decision refused = await(limiter.acquire(key));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.count()).isEqualTo(3);
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).isEqualTo(ConcurrencyLimiter.RETRY_AFTER);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.resetEpochNanos()).isEqualTo(clock.epochNanos() + ConcurrencyLimiter.RETRY_AFTER.toNanos());
    }

    @Test
    void aReleaseGivesTheSlotBack() {
        ConcurrencyLimiter limiter = create(spec(2), ManualClock.at(START));
        String key = key("release");
        await(limiter.acquire(key));
        await(limiter.acquire(key));
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();

        await(limiter.release(key, 1));
        Decision again = await(limiter.acquire(key));
        assertThat(again.allowed()).isTrue();
        assertThat(again.count()).isEqualTo(2);

        await(limiter.release(key, 1));
        await(limiter.release(key, 1));
        Decision idle = await(limiter.peek(key));
        assertThat(idle.count()).isZero();
        assertThat(idle.remaining()).isEqualTo(2);
    }

    @Test
    void aReleaseNeverTakesTheCountBelowZero() {
        ConcurrencyLimiter limiter = create(spec(3), ManualClock.at(START));
        String key = key("below-zero");
        await(limiter.acquire(key));
        await(limiter.release(key, 1));
        await(limiter.release(key, 1));
        await(limiter.release(key, 3));
        assertThat(await(limiter.peek(key)).count()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(await(limiter.acquire(key)).allowed()).isTrue();
        }
        assertThat(await(limiter.acquire(key)).allowed())
                .as("extra releases gave nothing beyond the limit")
                .isFalse();
    }

    @Test
    void aReleaseForAKeyNeverSeenIsHarmless() {
        ConcurrencyLimiter limiter = create(spec(2), ManualClock.at(START));
        await(limiter.release(key("never-seen"), 2));
        assertThat(await(limiter.peek(key("never-seen"))).count()).isZero();
        assertThat(await(limiter.acquire(key("never-seen"))).count()).isEqualTo(1);
    }

    @Test
    void takesAndGivesBackSeveralSlotsAtOnce() {
        ConcurrencyLimiter limiter = create(spec(5), ManualClock.at(START));
        String key = key("several");
        assertThat(await(limiter.acquire(key, 3)).count()).isEqualTo(3);
        Decision tooMany = await(limiter.acquire(key, 3));
        assertThat(tooMany.allowed()).isFalse();
        assertThat(tooMany.count()).isEqualTo(3);
        assertThat(await(limiter.acquire(key, 2)).remaining()).isZero();
        await(limiter.release(key, 3));
        assertThat(await(limiter.peek(key)).count()).isEqualTo(2);
    }

    @Test
    void keepsKeysAndScopesApart() {
        ManualClock clock = ManualClock.at(START);
        ConcurrencyLimiter one = create(spec(1), clock, "one");
        ConcurrencyLimiter other = create(spec(1), clock, "other");
        assertThat(await(one.acquire(key("a"))).allowed()).isTrue();
        assertThat(await(one.acquire(key("b"))).allowed()).as("another key").isTrue();
        assertThat(await(other.acquire(key("a"))).allowed()).as("another scope").isTrue();
        assertThat(await(one.acquire(key("a"))).allowed()).isFalse();
    }

    @Test
    void peekTakesNothing() {
        ConcurrencyLimiter limiter = create(spec(1), ManualClock.at(START));
        String key = key("peek");
        for (int i = 0; i < 3; i++) {
            Decision peeked = await(limiter.peek(key));
            assertThat(peeked.allowed()).isTrue();
            assertThat(peeked.count()).isZero();
        }
        await(limiter.acquire(key));
        assertThat(await(limiter.peek(key)).allowed()).isFalse();
    }

    @Test
    void resetForgetsTheSlotsAndLaterReleasesStayHarmless() {
        ConcurrencyLimiter limiter = create(spec(2), ManualClock.at(START));
        String key = key("reset");
        await(limiter.acquire(key));
        await(limiter.acquire(key));
        await(limiter.reset(key));
        await(limiter.release(key, 1));
        assertThat(await(limiter.acquire(key)).count()).isEqualTo(1);
    }

    @Test
    void rejectsImpossibleAcquisitionsAndReleases() {
        ConcurrencyLimiter limiter = create(spec(5), ManualClock.at(START));
        assertFailsWith(limiter.acquire(key("x"), 0), "permits");
        assertFailsWith(limiter.acquire(key("x"), 6), "permits");
        assertFailsWith(limiter.acquire("", 1), "key");
        assertFailsWith(limiter.release(key("x"), 0), "permits");
        assertFailsWith(limiter.release("", 1), "key");
    }

    @Test
    void thirtyConcurrentAcquisitionsAgainstTenAdmitExactlyTen() throws Exception {
        ManualClock clock = ManualClock.at(START);
        List<ConcurrencyLimiter> limiters = createShared(spec(10), clock, 30);
        String key = key("thirty");
        List<Decision> decisions = all(limiters, limiter -> await(limiter.acquire(key)));
        assertThat(decisions.stream().filter(Decision::allowed).count()).isEqualTo(10);
        assertThat(await(limiters.get(0).peek(key)).count()).isEqualTo(10);
    }

    @Test
    void concurrentAcquisitionsAndReleasesEndWithNothingHeld() throws Exception {
        ManualClock clock = ManualClock.at(START);
        List<ConcurrencyLimiter> limiters = createShared(spec(4), clock, 12);
        String key = key("churn");
        List<Long> admitted = all(limiters, limiter -> {
            long taken = 0;
            for (int i = 0; i < 25; i++) {
                if (await(limiter.acquire(key)).allowed()) {
                    taken++;
                    await(limiter.release(key, 1));
                }
            }
            return taken;
        });
        assertThat(admitted.stream().mapToLong(Long::longValue).sum()).isPositive();
        Decision after = await(limiters.get(0).peek(key));
        assertThat(after.count()).isZero();
        assertThat(after.remaining()).isEqualTo(4);
    }

    @Test
    void timeAloneGivesNoSlotBackWithinTheSlotTimeout() {
        ManualClock clock = ManualClock.at(START);
        ConcurrencyLimiter limiter = create(spec(1), clock);
        String key = key("within-timeout");
        await(limiter.acquire(key));
        clock.advance(TIMEOUT.minusMillis(1));
        assertThat(await(limiter.acquire(key)).allowed()).isFalse();
    }

    @Test
    void aSharedBackendTakesBackASlotHeldPastTheSlotTimeout() {
        if (!slotsExpire()) {
            return;
        }
        ManualClock clock = ManualClock.at(START);
        ConcurrencyLimiter limiter = create(spec(2), clock);
        String key = key("past-timeout");
        await(limiter.acquire(key));
        clock.advance(Duration.ofSeconds(30));
        await(limiter.acquire(key));
        clock.advance(Duration.ofSeconds(30));
        Decision oneBack = await(limiter.acquire(key));
        assertThat(oneBack.allowed()).as("the first slot is a slot timeout old").isTrue();
        assertThat(oneBack.count()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(61));
        assertThat(await(limiter.peek(key)).count()).as("every slot timed out").isZero();
    }

    private <T> List<T> all(List<ConcurrencyLimiter> limiters, java.util.function.Function<ConcurrencyLimiter, T> work)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(limiters.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<T>> results = new ArrayList<>();
            for (ConcurrencyLimiter limiter : limiters) {
                results.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return work.apply(limiter);
                        },
                        pool));
            }
            go.countDown();
            List<T> answers = new ArrayList<>();
            for (CompletableFuture<T> result : results) {
                answers.add(result.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertFailsWith(Future<?> future, String mentioned) {
        assertThatThrownBy(() -> await(future))
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .cause()
                .hasMessageContaining(mentioned);
    }
}
