package dev.tollgate.limiter;

import static dev.tollgate.test.support.Await.await;
import static dev.tollgate.test.support.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
 * The behaviour every {@link QuotaLimiter} backend owes ({@value QuotaLimiter#ALGORITHM}). A backend's test extends
 * this class and gives its provider and the options it builds limiters with; a backend that keeps its counts outside
 * the process says so ({@link #keepsCountsAcrossInstances()}) and is then held to a new limiter finding them.
 *
 * <p>Times are after the tests are written, so that a backend whose store expires keys by its own clock keeps them
 * while a test runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class QuotaLimiterContract {

    /** 2027-01-01T00:00:00Z, a Friday. */
    protected static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** The backend's provider of {@value QuotaLimiter#ALGORITHM}. */
    protected abstract LimiterProvider provider();

    /** The options the backend under test builds a limiter with, reading time from {@code clock}, in {@code scope}. */
    protected abstract LimiterOptions options(NanoClock clock, String scope);

    /** Whether a new limiter of the same scope and period finds the counts of an earlier one (a shared backend). */
    protected abstract boolean keepsCountsAcrossInstances();

    /** A limiter of the backend under test. */
    protected QuotaLimiter create(long limit, QuotaPeriod period, NanoClock clock, String scope) {
        RateLimiter limiter = provider()
                .create(
                        QuotaLimiter.spec(limit, period, 1),
                        options(clock, scope).withQuotaPeriod(period));
        assertThat(limiter).isInstanceOf(QuotaLimiter.class);
        return (QuotaLimiter) limiter;
    }

    protected QuotaLimiter create(long limit, QuotaPeriod period, NanoClock clock) {
        return create(limit, period, clock, LimiterOptions.DEFAULT_SCOPE);
    }

    /** A key no other test uses: shared backends keep state between tests. */
    protected String key(String name) {
        return getClass().getSimpleName() + ":" + name;
    }

    private static QuotaPeriod period(String id, ZoneId zone) {
        return QuotaPeriod.parse(id, zone);
    }

    private static long nanos(String instant) {
        Instant at = Instant.parse(instant);
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private static ManualClock clock(String instant) {
        return ManualClock.at(Instant.parse(instant));
    }

    @Test
    void theProviderIsNamedAfterTheAlgorithmAndTheLimiterKnowsItsPeriod() {
        assertThat(provider().name()).isEqualTo(QuotaLimiter.ALGORITHM);
        QuotaPeriod monthly = period("month", PARIS);
        QuotaLimiter limiter = create(3, monthly, ManualClock.at(START));
        assertThat(limiter.spec().algorithm()).isEqualTo(QuotaLimiter.ALGORITHM);
        assertThat(limiter.period()).isEqualTo(monthly);
    }

    @Test
    void aSpecOfAnotherAlgorithmIsRefusedNamingTheAlgorithm() {
        assertThatThrownBy(() -> provider()
                        .create(
                                LimitSpec.of("fixed-window", 3, Duration.ofDays(1)),
                                options(ManualClock.at(START), "")))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo("algorithm"));
    }

    @Test
    void admitsTheLimitInADayAndRefusesUntilMidnightInTheZone() {
        ManualClock clock = clock("2027-01-05T10:00:00Z");
        QuotaLimiter limiter = create(3, period("day", NEW_YORK), clock);
        String key = key("daily");
        for (int i = 1; i <= 3; i++) {
            Decision taken = await(limiter.acquire(key, 1));
            assertThat(taken.allowed()).isTrue();
            assertThat(taken.count()).isEqualTo(i);
            assertThat(taken.remaining()).isEqualTo(3 - i);
            assertThat(taken.limit()).isEqualTo(3);
            // midnight in New York, 05:00 UTC in winter
            assertThat(taken.resetEpochNanos()).isEqualTo(nanos("2027-01-06T05:00:00Z"));
            assertThat(taken.retryAfterNanos()).isZero();
        }
        Decision refused = await(limiter.acquire(key, 1));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.count()).isEqualTo(3);
        assertThat(refused.remaining()).isZero();
        assertThat(refused.resetEpochNanos()).isEqualTo(nanos("2027-01-06T05:00:00Z"));
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofHours(19));
        assertThat(refused.retryAfterSeconds()).isEqualTo(19 * 3600);

        clock.set(Instant.parse("2027-01-06T04:59:59.999999Z"));
        assertThat(await(limiter.acquire(key, 1)).allowed()).isFalse();
        clock.set(Instant.parse("2027-01-06T05:00:00Z"));
        Decision nextDay = await(limiter.acquire(key, 1));
        assertThat(nextDay.allowed()).isTrue();
        assertThat(nextDay.count()).isEqualTo(1);
        assertThat(nextDay.resetEpochNanos()).isEqualTo(nanos("2027-01-07T05:00:00Z"));
    }

    @Test
    void aCostTakesThatManyAndARefusalCountsNothing() {
        QuotaLimiter limiter = create(10, period("month", ZoneOffset.UTC), clock("2027-02-10T00:00:00Z"));
        String key = key("cost");
        assertThat(await(limiter.acquire(key, 7)).count()).isEqualTo(7);
        Decision refused = await(limiter.acquire(key, 4));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.count()).isEqualTo(7);
        assertThat(refused.remaining()).isEqualTo(3);
        Decision fits = await(limiter.acquire(key, 3));
        assertThat(fits.allowed()).isTrue();
        assertThat(fits.count()).isEqualTo(10);
        assertThat(fits.remaining()).isZero();
    }

    @Test
    void moreThanTheLimitAtOnceIsRefusedAsNoPeriodCouldAdmitIt() {
        QuotaLimiter limiter = create(5, period("day", ZoneOffset.UTC), ManualClock.at(START));
        assertThat(failure(limiter.acquire(key("too-much"), 6))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(limiter.acquire(key("too-little"), 0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(limiter.acquire("", 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDayThatLosesAnHourToSummerTimeIs23HoursLong() {
        // Paris moves from +01:00 to +02:00 at 02:00 on 2027-03-28
        ManualClock clock = clock("2027-03-27T23:00:00Z");
        QuotaLimiter limiter = create(1, period("day", PARIS), clock);
        String key = key("spring");
        Decision first = await(limiter.acquire(key, 1));
        assertThat(first.resetEpochNanos()).isEqualTo(nanos("2027-03-28T22:00:00Z"));
        clock.set(Instant.parse("2027-03-28T21:59:59Z"));
        Decision refused = await(limiter.acquire(key, 1));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        clock.set(Instant.parse("2027-03-28T22:00:00Z"));
        assertThat(await(limiter.acquire(key, 1)).allowed()).isTrue();
    }

    @Test
    void aDayThatGainsAnHourFromWinterTimeIs25HoursLong() {
        // Paris moves from +02:00 back to +01:00 at 03:00 on 2027-10-31
        ManualClock clock = clock("2027-10-30T22:00:00Z");
        QuotaLimiter limiter = create(1, period("day", PARIS), clock);
        String key = key("autumn");
        assertThat(await(limiter.acquire(key, 1)).resetEpochNanos()).isEqualTo(nanos("2027-10-31T23:00:00Z"));
        clock.set(Instant.parse("2027-10-31T22:30:00Z"));
        assertThat(await(limiter.acquire(key, 1)).allowed())
                .as("23:30 in Paris, still the 31st")
                .isFalse();
        clock.set(Instant.parse("2027-10-31T23:00:00Z"));
        assertThat(await(limiter.acquire(key, 1)).allowed()).isTrue();
    }

    @Test
    void aWeekRunsFromMondayToMonday() {
        // 2027-01-04 is a Monday; the 1st, a Friday, is in the week of 2026-12-28
        ManualClock clock = clock("2027-01-01T12:00:00Z");
        QuotaLimiter limiter = create(1, period("week", ZoneOffset.UTC), clock);
        String key = key("week");
        assertThat(await(limiter.acquire(key, 1)).resetEpochNanos()).isEqualTo(nanos("2027-01-04T00:00:00Z"));
        clock.set(Instant.parse("2027-01-03T23:59:59Z"));
        assertThat(await(limiter.acquire(key, 1)).allowed()).as("Sunday night").isFalse();
        clock.set(Instant.parse("2027-01-04T00:00:00Z"));
        Decision monday = await(limiter.acquire(key, 1));
        assertThat(monday.allowed()).isTrue();
        assertThat(monday.resetEpochNanos()).isEqualTo(nanos("2027-01-11T00:00:00Z"));
        clock.set(Instant.parse("2027-01-10T23:59:59Z"));
        assertThat(await(limiter.acquire(key, 1)).allowed()).isFalse();
    }

    @Test
    void aMonthEndsAtTheStartOfTheNextWhateverItsLength() {
        ManualClock clock = clock("2027-01-31T23:59:59Z");
        QuotaLimiter limiter = create(1, period("month", ZoneOffset.UTC), clock);
        String key = key("month");
        assertThat(await(limiter.acquire(key, 1)).resetEpochNanos()).isEqualTo(nanos("2027-02-01T00:00:00Z"));
        clock.set(Instant.parse("2027-02-01T00:00:00Z"));
        assertThat(await(limiter.acquire(key, 1)).resetEpochNanos())
                .as("February 2027 has 28 days")
                .isEqualTo(nanos("2027-03-01T00:00:00Z"));
        clock.set(Instant.parse("2028-02-28T12:00:00Z"));
        QuotaLimiter leap = create(1, period("month", ZoneOffset.UTC), clock, "leap");
        assertThat(await(leap.acquire(key, 1)).allowed()).isTrue();
        clock.set(Instant.parse("2028-02-29T23:59:59Z"));
        Decision leapDay = await(leap.acquire(key, 1));
        assertThat(leapDay.allowed())
                .as("the 29th of a leap February is in February")
                .isFalse();
        assertThat(leapDay.resetEpochNanos()).isEqualTo(nanos("2028-03-01T00:00:00Z"));
        clock.set(Instant.parse("2028-03-01T00:00:00Z"));
        assertThat(await(leap.acquire(key, 1)).allowed()).isTrue();
    }

    @Test
    void aLeapYearHas366Days() {
        ManualClock clock = clock("2028-01-01T00:00:00Z");
        QuotaLimiter limiter = create(2, period("year", ZoneOffset.UTC), clock);
        String key = key("year");
        Decision first = await(limiter.acquire(key, 1));
        assertThat(first.resetEpochNanos()).isEqualTo(nanos("2029-01-01T00:00:00Z"));
        clock.set(Instant.parse("2028-12-31T23:59:59Z"));
        assertThat(await(limiter.acquire(key, 1)).count()).isEqualTo(2);
        assertThat(await(limiter.acquire(key, 1)).allowed()).isFalse();
        clock.set(Instant.parse("2029-01-01T00:00:00Z"));
        assertThat(await(limiter.acquire(key, 1)).count()).isEqualTo(1);
    }

    @Test
    void aRollingWindowAdmitsRefusesAndAdmitsAgainExactlyWhenOldUseLeavesIt() {
        // 3d: the current day in UTC and the two before it
        ManualClock clock = clock("2027-01-01T10:00:00Z");
        QuotaLimiter limiter = create(5, period("3d", ZoneOffset.UTC), clock);
        String key = key("rolling");
        Decision first = await(limiter.acquire(key, 2));
        assertThat(first.allowed()).isTrue();
        assertThat(first.count()).isEqualTo(2);
        assertThat(first.remaining()).isEqualTo(3);
        assertThat(first.resetEpochNanos())
                .as("the 1st leaves the window when the 4th starts")
                .isEqualTo(nanos("2027-01-04T00:00:00Z"));
        clock.set(Instant.parse("2027-01-02T10:00:00Z"));
        assertThat(await(limiter.acquire(key, 2)).count()).isEqualTo(4);
        clock.set(Instant.parse("2027-01-03T10:00:00Z"));
        Decision last = await(limiter.acquire(key, 1));
        assertThat(last.allowed()).isTrue();
        assertThat(last.count()).isEqualTo(5);
        assertThat(last.remaining()).isZero();
        assertThat(last.resetEpochNanos()).isEqualTo(nanos("2027-01-04T00:00:00Z"));

        clock.set(Instant.parse("2027-01-03T20:00:00Z"));
        Decision refused = await(limiter.acquire(key, 1));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.count()).isEqualTo(5);
        assertThat(refused.remaining()).isZero();
        assertThat(refused.resetEpochNanos()).isEqualTo(nanos("2027-01-04T00:00:00Z"));
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofHours(4));
        Decision tooDear = await(limiter.acquire(key, 3));
        assertThat(tooDear.allowed()).isFalse();
        assertThat(tooDear.resetEpochNanos())
                .as("3 fit once the 1st and the 2nd have left, 1 still counted of the 3rd")
                .isEqualTo(nanos("2027-01-05T00:00:00Z"));
        assertThat(tooDear.retryAfter()).isEqualTo(Duration.ofHours(28));

        clock.set(Instant.parse("2027-01-03T23:59:59.999999Z"));
        assertThat(await(limiter.acquire(key, 1)).allowed()).isFalse();
        clock.set(Instant.parse("2027-01-04T00:00:00Z"));
        assertThat(await(limiter.acquire(key, 3)).allowed())
                .as("only 2 left the window")
                .isFalse();
        Decision again = await(limiter.acquire(key, 2));
        assertThat(again.allowed()).isTrue();
        assertThat(again.count()).as("2 of the 2nd, 1 of the 3rd, 2 of the 4th").isEqualTo(5);
        assertThat(again.resetEpochNanos()).isEqualTo(nanos("2027-01-05T00:00:00Z"));

        clock.set(Instant.parse("2027-01-05T00:00:00Z"));
        assertThat(await(limiter.acquire(key, 2)).count()).isEqualTo(5);
        clock.set(Instant.parse("2027-01-09T12:00:00Z"));
        Decision later = await(limiter.peek(key));
        assertThat(later.count()).as("every day with use has left").isZero();
        assertThat(later.allowed()).isTrue();
        assertThat(later.resetEpochNanos())
                .as("with nothing counted, the next day's start")
                .isEqualTo(nanos("2027-01-10T00:00:00Z"));
    }

    @Test
    void aRollingWindowPeeksAtItsUseWithoutTakingAny() {
        ManualClock clock = clock("2027-01-01T10:00:00Z");
        QuotaLimiter limiter = create(4, period("30d", ZoneOffset.UTC), clock);
        String key = key("rolling-peek");
        await(limiter.acquire(key, 3));
        clock.set(Instant.parse("2027-01-20T10:00:00Z"));
        Decision seen = await(limiter.peek(key));
        assertThat(seen.allowed()).isTrue();
        assertThat(seen.count()).isEqualTo(3);
        assertThat(seen.remaining()).isEqualTo(1);
        assertThat(seen.resetEpochNanos()).isEqualTo(nanos("2027-01-31T00:00:00Z"));
        assertThat(await(limiter.peek(key)).count()).isEqualTo(3);
        assertThat(await(limiter.acquire(key, 1)).remaining()).isZero();
        Decision spent = await(limiter.peek(key));
        assertThat(spent.allowed()).isFalse();
        assertThat(spent.resetEpochNanos()).isEqualTo(nanos("2027-01-31T00:00:00Z"));
        await(limiter.reset(key));
        assertThat(await(limiter.peek(key)).count()).isZero();
    }

    @Test
    void aRollingWindowsDaysAreTheZonesAcrossAChangeOfSummerTime() {
        // Paris: the 27th of March 2027 starts at 2027-03-26T23:00:00Z, the 28th (23 hours) at 2027-03-27T23:00:00Z,
        // the 29th at 2027-03-28T22:00:00Z
        ManualClock clock = clock("2027-03-27T10:00:00Z");
        QuotaLimiter limiter = create(2, period("2d", PARIS), clock);
        String key = key("rolling-spring");
        assertThat(await(limiter.acquire(key, 1)).resetEpochNanos()).isEqualTo(nanos("2027-03-28T22:00:00Z"));
        clock.set(Instant.parse("2027-03-28T10:00:00Z"));
        assertThat(await(limiter.acquire(key, 1)).count()).isEqualTo(2);
        clock.set(Instant.parse("2027-03-28T21:59:59Z"));
        Decision refused = await(limiter.acquire(key, 1));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        clock.set(Instant.parse("2027-03-28T22:00:00Z"));
        Decision monday = await(limiter.acquire(key, 1));
        assertThat(monday.allowed()).isTrue();
        assertThat(monday.count()).as("1 of the 28th, 1 of the 29th").isEqualTo(2);
        assertThat(monday.resetEpochNanos())
                .as("the 28th leaves when the 30th starts, midnight in summer time")
                .isEqualTo(nanos("2027-03-29T22:00:00Z"));

        // the 31st of October 2027 is 25 hours long in Paris: from 2027-10-30T22:00:00Z to 2027-10-31T23:00:00Z
        clock.set(Instant.parse("2027-10-30T22:30:00Z"));
        QuotaLimiter autumn = create(1, period("1d", PARIS), clock, "autumn");
        assertThat(await(autumn.acquire(key, 1)).resetEpochNanos()).isEqualTo(nanos("2027-10-31T23:00:00Z"));
        clock.set(Instant.parse("2027-10-31T22:59:59Z"));
        assertThat(await(autumn.acquire(key, 1)).allowed())
                .as("23:59:59 in Paris")
                .isFalse();
        clock.set(Instant.parse("2027-10-31T23:00:00Z"));
        assertThat(await(autumn.acquire(key, 1)).allowed()).isTrue();
    }

    @Test
    void aRollingDayDecidesAsACalendarDay() {
        ManualClock clock = clock("2027-01-05T10:00:00Z");
        QuotaLimiter rolling = create(3, period("1d", NEW_YORK), clock, "rolling-day");
        QuotaLimiter calendar = create(3, period("day", NEW_YORK), clock, "calendar-day");
        String key = key("one-day");
        String[] times = {
            "2027-01-05T10:00:00Z", "2027-01-05T11:00:00Z", "2027-01-05T12:00:00Z", "2027-01-05T13:00:00Z",
            "2027-01-06T04:59:59Z", "2027-01-06T05:00:00Z", "2027-01-06T05:00:01Z", "2027-01-08T00:00:00Z"
        };
        long[] costs = {1, 2, 1, 3, 1, 2, 2, 1};
        for (int i = 0; i < times.length; i++) {
            clock.set(Instant.parse(times[i]));
            Decision expected = await(calendar.acquire(key, costs[i]));
            assertThat(await(rolling.acquire(key, costs[i])))
                    .as("at %s, cost %d", times[i], costs[i])
                    .isEqualTo(expected);
            assertThat(await(rolling.peek(key))).isEqualTo(await(calendar.peek(key)));
        }
    }

    @Test
    void peekTakesNothingAndSaysWhatARequestWouldSee() {
        QuotaLimiter limiter = create(4, period("day", ZoneOffset.UTC), ManualClock.at(START));
        String key = key("peek");
        Decision fresh = await(limiter.peek(key));
        assertThat(fresh.allowed()).isTrue();
        assertThat(fresh.count()).isZero();
        assertThat(fresh.remaining()).isEqualTo(4);
        assertThat(fresh.resetEpochNanos()).isEqualTo(nanos("2027-01-02T00:00:00Z"));
        await(limiter.acquire(key, 4));
        Decision spent = await(limiter.peek(key));
        assertThat(spent.allowed()).isFalse();
        assertThat(spent.count()).isEqualTo(4);
        assertThat(await(limiter.peek(key)).count()).isEqualTo(4);
    }

    @Test
    void resetForgetsTheKeysCount() {
        QuotaLimiter limiter = create(1, period("day", ZoneOffset.UTC), ManualClock.at(START));
        String key = key("reset");
        await(limiter.acquire(key, 1));
        await(limiter.reset(key));
        assertThat(await(limiter.acquire(key, 1)).allowed()).isTrue();
    }

    @Test
    void keysAndScopesAreIndependent() {
        ManualClock clock = ManualClock.at(START);
        QuotaLimiter one = create(1, period("day", ZoneOffset.UTC), clock, "one");
        QuotaLimiter two = create(1, period("day", ZoneOffset.UTC), clock, "two");
        await(one.acquire(key("a"), 1));
        assertThat(await(one.acquire(key("b"), 1)).allowed()).isTrue();
        assertThat(await(two.acquire(key("a"), 1)).allowed()).isTrue();
        assertThat(await(one.acquire(key("a"), 1)).allowed()).isFalse();
    }

    @Test
    void aNewLimiterOfTheSameScopeAndPeriodFindsTheCountIfTheBackendKeepsIt() {
        ManualClock clock = ManualClock.at(START);
        QuotaPeriod monthly = period("month", ZoneOffset.UTC);
        QuotaLimiter before = create(5, monthly, clock, "restart");
        String key = key("restart");
        await(before.acquire(key, 3));
        await(before.close());
        // a limit raised across the restart keeps the count too
        QuotaLimiter after = create(6, monthly, clock, "restart");
        Decision seen = await(after.peek(key));
        if (keepsCountsAcrossInstances()) {
            assertThat(seen.count()).isEqualTo(3);
            assertThat(await(after.acquire(key, 3)).remaining()).isZero();
        } else {
            assertThat(seen.count()).isZero();
        }
    }

    @Test
    void concurrentAcquisitionsAdmitExactlyTheLimit() throws Exception {
        QuotaLimiter limiter = create(10, period("day", ZoneOffset.UTC), ManualClock.at(START));
        assertThat(admittedOfThirtyAtOnce(limiter, key("race"))).isEqualTo(10);
    }

    @Test
    void concurrentAcquisitionsOfARollingWindowAdmitExactlyWhatIsLeftOfIt() throws Exception {
        ManualClock clock = clock("2027-01-01T12:00:00Z");
        QuotaLimiter limiter = create(10, period("7d", ZoneOffset.UTC), clock);
        String key = key("rolling-race");
        await(limiter.acquire(key, 4));
        clock.set(Instant.parse("2027-01-05T12:00:00Z"));
        assertThat(admittedOfThirtyAtOnce(limiter, key)).isEqualTo(6);
        assertThat(await(limiter.peek(key)).count()).isEqualTo(10);
    }

    private static long admittedOfThirtyAtOnce(QuotaLimiter limiter, String key) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                answers.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                            }
                            return await(limiter.acquire(key, 1)).allowed();
                        },
                        pool));
            }
            go.countDown();
            long admitted = 0;
            for (CompletableFuture<Boolean> answer : answers) {
                if (answer.get(60, TimeUnit.SECONDS)) {
                    admitted++;
                }
            }
            return admitted;
        } finally {
            pool.shutdownNow();
        }
    }
}
