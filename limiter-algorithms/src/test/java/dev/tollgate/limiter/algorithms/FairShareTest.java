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

/**
 * Limiters sharing a budget: a flood of distinct keys on one takes bytes from that one, never from a
 * limiter within its fair share. The clock stands still, so nothing is dropped for its age.
 */
class FairShareTest {

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");
    /** More than any state of a short key with one request takes. */
    private static final long ONE_STATE = 200;

    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();
    private final ManualClock clock = ManualClock.at(START);
    private long flooded;

    private LocalRateLimiter limiter(LimitSpec spec, MemoryBudget budget) {
        return (LocalRateLimiter) registry.create(
                spec, "local", LimiterOptions.defaults().withClock(clock).withMemoryBudget(budget));
    }

    private static LimitSpec apiKeyLimit() {
        return LimitSpec.of("token-bucket", 100, Duration.ofMinutes(1));
    }

    private static LimitSpec loginLimit() {
        return LimitSpec.of("fixed-window", 3, Duration.ofMinutes(15));
    }

    /** Distinct API keys, which cost the attacker nothing. */
    private void flood(LocalRateLimiter limiter, int keys) {
        for (int i = 0; i < keys; i++) {
            limiter.tryAcquire("key:" + flooded++, 1);
        }
    }

    @Test
    void aFloodOnOneLimiterEvictsItsOwnKeysAndLeavesAnotherLimitersStates() {
        MemoryBudget budget = MemoryBudget.ofBytes(32 * 1024);
        LocalRateLimiter apiKeys = limiter(apiKeyLimit(), budget);
        LocalRateLimiter login = limiter(loginLimit(), budget);
        for (int i = 1; i <= 4; i++) {
            login.tryAcquire("ip:198.51.100." + i, 1);
        }
        for (int i = 0; i < 3; i++) {
            login.tryAcquire("ip:203.0.113.7", 1);
        }
        assertThat(login.tryAcquire("ip:203.0.113.7", 1).allowed()).isFalse();
        long loginBytes = login.bytesHeld();

        flood(apiKeys, 20_000);
        assertThat(apiKeys.trackedKeys())
                .as("the budget holds a few hundred keys")
                .isLessThan(400);
        assertThat(login.trackedKeys()).isEqualTo(5);
        assertThat(login.bytesHeld()).isEqualTo(loginBytes);
        long floodBytes = apiKeys.bytesHeld();
        assertThat(floodBytes + loginBytes).as("the budget is full").isGreaterThan(budget.limit() - ONE_STATE);

        for (int i = 0; i < 40; i++) {
            login.tryAcquire("ip:192.0.2." + i, 1);
        }
        assertThat(login.trackedKeys()).as("login keeps every key").isEqualTo(45);
        assertThat(login.tryAcquire("ip:203.0.113.7", 1).allowed())
                .as("the limited key's state survived")
                .isFalse();
        assertThat(floodBytes - apiKeys.bytesHeld())
                .as("the flooded limiter gave the bytes")
                .isGreaterThanOrEqualTo(login.bytesHeld() - loginBytes - ONE_STATE);
        assertThat(budget.used())
                .isLessThanOrEqualTo(budget.limit())
                .isEqualTo(apiKeys.bytesHeld() + login.bytesHeld());
        assertThat(apiKeys.bytesHeld()).isEqualTo(apiKeys.table().recount());
        assertThat(login.bytesHeld()).isEqualTo(login.table().recount());
    }

    @Test
    void twoAddressesAlternatingOnALoginLimitStayLimitedWhileAnotherLimiterIsFlooded() {
        MemoryBudget budget = MemoryBudget.ofBytes(32 * 1024);
        LocalRateLimiter apiKeys = limiter(apiKeyLimit(), budget);
        LocalRateLimiter login = limiter(loginLimit(), budget);
        flood(apiKeys, 20_000);
        for (int attempt = 0; attempt < 10; attempt++) {
            for (String address : List.of("ip:198.51.100.1", "ip:198.51.100.2")) {
                assertThat(login.tryAcquire(address, 1).allowed())
                        .as("attempt %d from %s", attempt + 1, address)
                        .isEqualTo(attempt < 3);
                flood(apiKeys, 1_000);
            }
        }
        assertThat(login.trackedKeys()).isEqualTo(2);
        assertThat(budget.used()).isLessThanOrEqualTo(budget.limit());
    }

    @Test
    void aFloodOnOneOfFourLimitersWithinTheirSharesKeepsEveryKeyOfTheOthers() {
        MemoryBudget budget = MemoryBudget.ofBytes(64 * 1024);
        LocalRateLimiter flooded = limiter(apiKeyLimit(), budget);
        List<LocalRateLimiter> others = List.of(
                limiter(loginLimit(), budget),
                limiter(LimitSpec.of("sliding-window-counter", 10, Duration.ofMinutes(1)), budget),
                limiter(LimitSpec.of("gcra", 10, Duration.ofMinutes(1)), budget));
        long share = 16 * 1024;
        assertThat(budget.holders()).isEqualTo(4);
        assertThat(budget.fairShare()).isEqualTo(share);
        List<Long> keys = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (int r = 0; r < others.size(); r++) {
            LocalRateLimiter other = others.get(r);
            for (int i = 0; i < 1_000 && other.bytesHeld() + ONE_STATE <= share / 2; i++) {
                other.tryAcquire("ip:10." + r + "." + (i / 256) + "." + (i % 256), 1);
            }
            keys.add(other.trackedKeys());
            bytes.add(other.bytesHeld());
        }

        flood(flooded, 30_000);
        for (int r = 0; r < others.size(); r++) {
            assertThat(others.get(r).trackedKeys()).as("limiter %d", r).isEqualTo(keys.get(r));
            assertThat(others.get(r).bytesHeld()).as("limiter %d", r).isEqualTo(bytes.get(r));
        }

        // each of the others grows to just within its share while the flood goes on: it still loses nothing
        for (int r = 0; r < others.size(); r++) {
            LocalRateLimiter other = others.get(r);
            long taken = keys.get(r);
            for (int i = 0; i < 1_000 && other.bytesHeld() + ONE_STATE <= share; i++) {
                other.tryAcquire("ip:172.16." + r + "." + i, 1);
                taken++;
                flood(flooded, 10);
                assertThat(other.trackedKeys()).as("limiter %d, key %d", r, i).isEqualTo(taken);
            }
        }
        long othersBytes = 0;
        for (int r = 0; r < others.size(); r++) {
            LocalRateLimiter other = others.get(r);
            assertThat(other.bytesHeld())
                    .as("limiter %d", r)
                    .isEqualTo(other.table().recount())
                    .isGreaterThan(share - ONE_STATE);
            othersBytes += other.bytesHeld();
        }
        assertThat(flooded.bytesHeld())
                .isLessThanOrEqualTo(budget.limit() - othersBytes)
                .isGreaterThan(share - ONE_STATE);
        assertThat(budget.used()).isLessThanOrEqualTo(budget.limit()).isEqualTo(flooded.bytesHeld() + othersBytes);
    }

    @Test
    void aLimiterPastItsShareEvictsItsOwnKeysAndLeavesTheFloodedOneItsShare() {
        MemoryBudget budget = MemoryBudget.ofBytes(32 * 1024);
        LocalRateLimiter apiKeys = limiter(apiKeyLimit(), budget);
        LocalRateLimiter login = limiter(loginLimit(), budget);
        flood(apiKeys, 20_000);
        for (int i = 0; i < 5_000; i++) {
            login.tryAcquire("ip:10.0." + (i / 256) + "." + (i % 256), 1);
            assertThat(budget.used()).as("after key %d", i).isLessThanOrEqualTo(budget.limit());
        }
        long share = budget.fairShare();
        assertThat(login.bytesHeld()).isBetween(share - ONE_STATE, share + ONE_STATE);
        assertThat(apiKeys.bytesHeld()).isBetween(share - 2 * ONE_STATE, share);
    }

    @Test
    void aClosedLimiterNoLongerCountsTowardsTheSharesUntilItTakesAKeyAgain() {
        MemoryBudget budget = MemoryBudget.ofBytes(30_000);
        LocalRateLimiter kept = limiter(apiKeyLimit(), budget);
        LocalRateLimiter closed = limiter(loginLimit(), budget);
        LocalRateLimiter peeked = limiter(loginLimit(), budget);
        assertThat(budget.fairShare()).isEqualTo(10_000);
        closed.tryAcquire("ip:203.0.113.5", 1);
        closed.close();
        assertThat(budget.holders()).isEqualTo(2);
        assertThat(budget.fairShare()).isEqualTo(15_000);
        closed.peekNow("ip:203.0.113.5");
        assertThat(budget.holders()).as("a peek takes no key").isEqualTo(2);
        closed.tryAcquire("ip:203.0.113.5", 1);
        assertThat(budget.holders()).isEqualTo(3);
        assertThat(budget.used()).isEqualTo(closed.bytesHeld() + kept.bytesHeld() + peeked.bytesHeld());
    }

    @Test
    void limitersSheddingForEachOtherFromManyThreadsCountExactly() throws Exception {
        MemoryBudget budget = MemoryBudget.ofBytes(64 * 1024);
        List<LocalRateLimiter> limiters = List.of(
                limiter(apiKeyLimit(), budget),
                limiter(loginLimit(), budget),
                limiter(LimitSpec.of("sliding-window-log", 10, Duration.ofMinutes(1)), budget),
                limiter(LimitSpec.of("leaky-bucket", 10, Duration.ofMinutes(1)), budget));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                // half the threads flood the first limiter, the others spread fewer keys over the rest
                LocalRateLimiter limiter = limiters.get(t % 2 == 0 ? 0 : 1 + t / 2 % 3);
                int keys = t % 2 == 0 ? 40_000 : 4_000;
                threads.add(pool.submit(() -> {
                    for (int i = 0; i < keys; i++) {
                        limiter.tryAcquire(thread + ":" + i, 1);
                    }
                }));
            }
            for (Future<?> thread : threads) {
                thread.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long sum = 0;
        for (LocalRateLimiter limiter : limiters) {
            assertThat(limiter.bytesHeld()).isEqualTo(limiter.table().recount());
            sum += limiter.bytesHeld();
        }
        assertThat(budget.used()).isEqualTo(sum).isLessThanOrEqualTo(budget.limit() + 8 * ONE_STATE);
    }
}
