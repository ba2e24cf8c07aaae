package dev.tollgate.limiter.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.MemoryBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bytes of per-key state: counted for each limiter, charged to a shared budget, and held within it. */
class ByteBoundsTest {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");
    /** More than any state of a short key with one request takes, log included. */
    private static final long ONE_STATE = 200;

    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();
    private final ManualClock clock = ManualClock.at(START);

    private LocalRateLimiter limiter(String algorithm, MemoryBudget budget) {
        return limiter(LimitSpec.of(algorithm, 10, Duration.ofHours(1)), budget);
    }

    private LocalRateLimiter limiter(LimitSpec spec, MemoryBudget budget) {
        return (LocalRateLimiter) registry.create(
                spec, "local", LimiterOptions.defaults().withClock(clock).withMemoryBudget(budget));
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
    void aFloodOfDistinctKeysStaysWithinASmallBudget(String algorithm) {
        MemoryBudget budget = MemoryBudget.ofBytes(64 * 1024);
        LocalRateLimiter limiter = limiter(algorithm, budget);
        for (int i = 0; i < 20_000; i++) {
            limiter.tryAcquire("ip:10.0." + (i / 256) + "." + (i % 256), 1);
            assertThat(budget.used()).as("after key %d", i).isLessThanOrEqualTo(budget.limit() + ONE_STATE);
        }
        assertThat(limiter.bytesHeld())
                .isEqualTo(budget.used())
                .isEqualTo(limiter.table().recount());
        assertThat(limiter.trackedKeys())
                .as("the budget holds a few hundred keys")
                .isBetween(200L, 600L);
    }

    @Test
    void limitersSharingABudgetStayWithinItTogether() {
        MemoryBudget budget = MemoryBudget.ofBytes(64 * 1024);
        LocalRateLimiter login = limiter("token-bucket", budget);
        LocalRateLimiter search = limiter("sliding-window-counter", budget);
        for (int i = 0; i < 10_000; i++) {
            login.tryAcquire("ip:10.1." + (i / 256) + "." + (i % 256), 1);
            search.tryAcquire("user:" + i, 1);
            assertThat(budget.used()).as("after key %d", i).isLessThanOrEqualTo(budget.limit() + ONE_STATE);
        }
        assertThat(login.bytesHeld() + search.bytesHeld()).isEqualTo(budget.used());
        assertThat(login.trackedKeys()).isPositive();
        assertThat(search.trackedKeys()).isPositive();
    }

    @Test
    void concurrentFloodsOfTwoLimitersStayWithinTheirBudgetAndCountExactly() throws Exception {
        MemoryBudget budget = MemoryBudget.ofBytes(256 * 1024);
        LocalRateLimiter first = limiter("gcra", budget);
        LocalRateLimiter second = limiter("sliding-window-log", budget);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> floods = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                LocalRateLimiter limiter = t % 2 == 0 ? first : second;
                floods.add(pool.submit(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        // a few keys shared between the threads, so that insertions race
                        limiter.tryAcquire(i % 4 == 0 ? "shared-" + i : "flood-" + thread + "-" + i, 1);
                    }
                }));
            }
            for (Future<?> flood : floods) {
                flood.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(budget.used())
                .isLessThanOrEqualTo(budget.limit() + 4 * ONE_STATE)
                .isEqualTo(first.bytesHeld() + second.bytesHeld());
        assertThat(first.bytesHeld()).isEqualTo(first.table().recount());
        assertThat(second.bytesHeld()).isEqualTo(second.table().recount());
    }

    @Test
    void forgettingAKeyGivesItsBytesBack() {
        MemoryBudget budget = MemoryBudget.unbounded();
        LocalRateLimiter limiter = limiter("fixed-window", budget);
        limiter.tryAcquire("ip:203.0.113.5", 1);
        long one = budget.used();
        // node and table share, the String and its array of 14 bytes, the state
        assertThat(one).isEqualTo(32 + 12 + 24 + 32 + 32);
        limiter.tryAcquire("ip:203.0.113.5", 1);
        assertThat(budget.used()).as("a decision on a key held counts nothing").isEqualTo(one);
        limiter.tryAcquire("ip:203.0.113.6", 1);
        assertThat(limiter.bytesHeld()).isEqualTo(2 * one);

        limiter.reset("ip:203.0.113.5");
        assertThat(budget.used()).isEqualTo(one);
        clock.advance(Duration.ofHours(3));
        assertThat(limiter.evictExpired()).isEqualTo(1);
        assertThat(budget.used()).isZero();
        assertThat(limiter.bytesHeld()).isZero();
    }

    @Test
    void closingALimiterGivesAllItsBytesBack() {
        MemoryBudget budget = MemoryBudget.unbounded();
        LocalRateLimiter kept = limiter("token-bucket", budget);
        LocalRateLimiter closed = limiter("leaky-bucket", budget);
        for (int i = 0; i < 1_000; i++) {
            kept.tryAcquire("k" + i, 1);
            closed.tryAcquire("k" + i, 1);
        }
        closed.close();
        assertThat(closed.trackedKeys()).isZero();
        assertThat(closed.bytesHeld()).isZero();
        assertThat(budget.used()).isEqualTo(kept.bytesHeld()).isPositive();
    }

    @Test
    void peekingAtUnknownKeysChargesNothing() {
        MemoryBudget budget = MemoryBudget.unbounded();
        LocalRateLimiter limiter = limiter("sliding-window-log", budget);
        for (int i = 0; i < 100; i++) {
            limiter.peekNow("nobody-" + i);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void aGrowingLogChargesWhatItGrowsBy() {
        MemoryBudget budget = MemoryBudget.unbounded();
        LocalRateLimiter limiter = limiter(LimitSpec.of("sliding-window-log", 100, Duration.ofHours(1)), budget);
        limiter.tryAcquire("user:42", 1);
        long first = budget.used();
        // one entry: a long[2]
        assertThat(first).isEqualTo(StateFootprint.entry("user:42") + StateFootprint.LOG_STATE + 32);
        for (int i = 0; i < 40; i++) {
            clock.advance(Duration.ofMillis(1));
            limiter.tryAcquire("user:42", 1);
        }
        // 41 entries in a ring of 64: a long[128]
        assertThat(budget.used())
                .isEqualTo(StateFootprint.entry("user:42") + StateFootprint.LOG_STATE + 16 + 8 * 128)
                .isEqualTo(limiter.table().recount());
        limiter.reset("user:42");
        assertThat(budget.used()).isZero();
    }

    @Test
    void aSevenThousandCharacterKeyIsHeldAndChargedInItsBoundedForm() {
        MemoryBudget budget = MemoryBudget.unbounded();
        LocalRateLimiter limiter = limiter("token-bucket", budget);
        limiter.tryAcquire("header:x-api-key:" + "k".repeat(6_983), 1);
        // an 83-byte key: an array of 16 + 83 bytes, rounded up to 104
        assertThat(budget.used()).isEqualTo(32 + 12 + 24 + 104 + 32);
    }

    @Test
    void aBudgetSmallerThanOneStateMakesTheLimiterForgetfulNeverStricter() {
        MemoryBudget budget = MemoryBudget.ofBytes(1);
        LocalRateLimiter limiter = limiter(LimitSpec.of("fixed-window", 1, Duration.ofHours(1)), budget);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("ip:203.0.113.5", 1).allowed()).isTrue();
        }
        assertThat(limiter.trackedKeys()).isZero();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aLimiterWithinItsBudgetKeepsEveryKeyAndTheLimitHolds() {
        MemoryBudget budget = MemoryBudget.ofBytes(1 << 20);
        LocalRateLimiter limiter = limiter(LimitSpec.of("token-bucket", 2, Duration.ofHours(1)), budget);
        for (int i = 0; i < 1_000; i++) {
            limiter.tryAcquire("ip:10.0." + (i / 256) + "." + (i % 256), 2);
        }
        assertThat(limiter.trackedKeys()).isEqualTo(1_000);
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.tryAcquire("ip:10.0." + (i / 256) + "." + (i % 256), 1)
                            .allowed())
                    .isFalse();
        }
    }
}
