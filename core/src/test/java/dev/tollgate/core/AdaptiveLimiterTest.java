package dev.tollgate.core;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The adaptive limiter with a manual clock: the latency of a sample is exactly the time the clock was moved. */
class AdaptiveLimiterTest {

    private static final String KEY = "global:all";
    private final ManualClock clock = ManualClock.at(Instant.parse("2027-01-01T00:00:00Z"));

    private AdaptiveLimiter limiter(AdaptiveOptions options, long maxKeys) {
        return new AdaptiveLimiter(Rule.adaptiveSpec(options), options, clock, maxKeys);
    }

    private AdaptiveLimiter aimd(int initial) {
        return limiter(AdaptiveOptions.aimd(1, 100, initial, Duration.ofMillis(100)), 100);
    }

    private Decision acquire(AdaptiveLimiter limiter, String key) {
        return await(limiter.acquire(key, 1));
    }

    @Test
    void admitsUpToTheLimitAndRefusesTheNextWithRetryAfterOneSecond() {
        AdaptiveLimiter limiter = aimd(3);
        for (int i = 1; i <= 3; i++) {
            Decision admitted = acquire(limiter, KEY);
            assertThat(admitted.allowed()).isTrue();
            assertThat(admitted.limit()).isEqualTo(3);
            assertThat(admitted.count()).isEqualTo(i);
            assertThat(admitted.remaining()).isEqualTo(3 - i);
        }
        Decision refused = acquire(limiter, KEY);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.count()).isEqualTo(3);
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theLatencyOfASampleIsTheTimeFromAdmissionToCompletionOnTheClock() {
        AdaptiveLimiter limiter = aimd(2);
        acquire(limiter, KEY);
        long admitted = limiter.now();
        acquire(limiter, KEY);
        clock.advance(Duration.ofMillis(100));
        await(limiter.complete(KEY, 1, admitted, false));
        assertThat(limiter.currentLimit())
                .as("100 ms is within the threshold: +1")
                .isEqualTo(3);
        acquire(limiter, KEY);
        clock.advance(Duration.ofNanos(1));
        await(limiter.complete(KEY, 1, admitted, false));
        assertThat(limiter.currentLimit())
                .as("100 ms and 1 ns is over it: 3 × 0.9")
                .isEqualTo(2);
    }

    @Test
    void aLimitThatFallsBelowTheRequestsInFlightAdmitsNoneUntilTheyAreUnderIt() {
        AdaptiveLimiter limiter = aimd(10);
        long admitted = limiter.now();
        for (int i = 0; i < 10; i++) {
            acquire(limiter, KEY);
        }
        clock.advance(Duration.ofSeconds(1));
        await(limiter.complete(KEY, 1, admitted, true));
        await(limiter.complete(KEY, 1, admitted, true));
        // 10 × 0.9 × 0.9 = 8.1: 8 in flight, as many as the limit
        assertThat(limiter.currentLimit()).isEqualTo(8);
        assertThat(acquire(limiter, KEY).allowed()).isFalse();
        await(limiter.complete(KEY, 1, admitted, true));
        // 8.1 × 0.9 = 7.29, 7 in flight
        assertThat(limiter.currentLimit()).isEqualTo(7);
        assertThat(acquire(limiter, KEY).allowed()).isFalse();
        await(limiter.release(KEY, 1));
        assertThat(limiter.currentLimit())
                .as("a release without a sample leaves the limit")
                .isEqualTo(7);
        Decision admittedAgain = acquire(limiter, KEY);
        assertThat(admittedAgain.allowed()).isTrue();
        assertThat(admittedAgain.count()).isEqualTo(7);
    }

    @Test
    void keysAreIndependentAndAKeyKeepsWhatItLearntWhenIdle() {
        AdaptiveLimiter limiter = aimd(4);
        long admitted = limiter.now();
        acquire(limiter, "ip:a");
        clock.advance(Duration.ofSeconds(1));
        await(limiter.complete("ip:a", 1, admitted, false));
        assertThat(await(limiter.peek("ip:a")).limit()).isEqualTo(3);
        assertThat(await(limiter.peek("ip:a")).count()).isZero();
        assertThat(await(limiter.peek("ip:b")).limit()).isEqualTo(4);
        await(limiter.reset("ip:a"));
        assertThat(await(limiter.peek("ip:a")).limit()).isEqualTo(4);
    }

    @Test
    void atItsKeyBoundItDropsIdleKeysAndAdmitsANewKeyWithoutACountWhenAllAreBusy() {
        AdaptiveLimiter limiter = limiter(AdaptiveOptions.aimd(1, 100, 1, Duration.ofMillis(100)), 2);
        acquire(limiter, "ip:a");
        acquire(limiter, "ip:b");
        Decision third = acquire(limiter, "ip:c");
        assertThat(third.allowed()).as("lenient past the bound").isTrue();
        assertThat(acquire(limiter, "ip:c").allowed()).as("and still uncounted").isTrue();
        await(limiter.release("ip:a", 1));
        assertThat(acquire(limiter, "ip:c").allowed()).isTrue();
        assertThat(acquire(limiter, "ip:c").allowed())
                .as("ip:a dropped, ip:c counted now")
                .isFalse();
        assertThat(acquire(limiter, "ip:b").allowed()).as("ip:b kept its slot").isFalse();
    }

    @Test
    void refusesAnEmptyKeyAndMorePermitsThanTheMostTheLimitCanReach() {
        AdaptiveLimiter limiter = aimd(4);
        assertThat(limiter.acquire("", 1).failed()).isTrue();
        assertThat(limiter.acquire(KEY, 101).failed()).isTrue();
        assertThat(limiter.complete(KEY, 0, 0, false).failed()).isTrue();
        assertThat(limiter.release("ip:never", 1).succeeded())
                .as("a key never seen")
                .isTrue();
    }

    @Test
    void heldSlotsGiveTheSampleOnceWithTheStatusDeciding() {
        AdaptiveLimiter limiter = aimd(10);
        for (int status : new int[] {200, 404, 502, HeldSlots.NO_RESPONSE}) {
            assertThat(acquire(limiter, KEY).allowed()).isTrue();
            HeldSlots slots =
                    HeldSlots.builder().add(limiter, KEY, 1, new AtomicLong()).build();
            clock.advance(Duration.ofMillis(10));
            slots.release(status);
            slots.release(status);
            assertThat(await(limiter.peek(KEY)).count()).isZero();
        }
        // 200 and 404 are fine but the limit is not in use (1 of 10 in flight): 10; 502 and none: 10 × 0.9 × 0.9
        assertThat(limiter.currentLimit()).isEqualTo(8);
        assertThat(acquire(limiter, KEY).allowed()).isTrue();
        HeldSlots refused =
                HeldSlots.builder().add(limiter, KEY, 1, new AtomicLong()).build();
        refused.releaseUnsampled();
        assertThat(limiter.currentLimit())
                .as("no sample from a request that never went on")
                .isEqualTo(8);
        assertThat(await(limiter.peek(KEY)).count()).isZero();
    }
}
