package dev.tollgate.limiter.algorithms;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.QuotaLimiter;
import dev.tollgate.limiter.QuotaLimiterContract;
import dev.tollgate.limiter.QuotaPeriod;
import dev.tollgate.limiter.spi.LimiterProvider;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The quota contract suite on the {@code local} backend, its provider found through ServiceLoader. */
class LocalQuotaLimiterContractTest extends QuotaLimiterContract {

    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();

    @Override
    protected LimiterProvider provider() {
        return registry.provider(QuotaLimiter.ALGORITHM, "local");
    }

    @Override
    protected LimiterOptions options(NanoClock clock, String scope) {
        return LimiterOptions.defaults().withClock(clock).withScope(scope);
    }

    @Override
    protected boolean keepsCountsAcrossInstances() {
        return false;
    }

    @Test
    void pastMaxKeysTheCountsOfEndedPeriodsGoFirst() {
        ManualClock clock = ManualClock.at(START);
        QuotaPeriod daily = QuotaPeriod.daily();
        LocalQuotaLimiter limiter = (LocalQuotaLimiter) provider()
                .create(
                        QuotaLimiter.spec(1, daily, 1),
                        options(clock, "").withMaxKeys(2).withQuotaPeriod(daily));
        await(limiter.acquire("yesterday", 1));
        clock.set(Instant.parse("2027-01-02T00:00:00Z"));
        await(limiter.acquire("today", 1));
        await(limiter.acquire("newcomer", 1));
        assertThat(limiter.trackedKeys()).isEqualTo(2);
        assertThat(await(limiter.acquire("today", 1)).allowed())
                .as("the current period's count was kept")
                .isFalse();
    }

    @Test
    void pastMaxKeysTheKeysWhoseUseLeftTheRollingWindowGoFirst() {
        ManualClock clock = ManualClock.at(START);
        QuotaPeriod twoDays = QuotaPeriod.parse("2d", ZoneOffset.UTC);
        QuotaLimiter limiter = (QuotaLimiter) provider()
                .create(
                        QuotaLimiter.spec(1, twoDays, 1),
                        options(clock, "").withMaxKeys(2).withQuotaPeriod(twoDays));
        assertThat(limiter).isInstanceOf(LocalRollingQuotaLimiter.class);
        await(limiter.acquire("gone", 1));
        clock.set(Instant.parse("2027-01-02T00:00:00Z"));
        await(limiter.acquire("yesterday", 1));
        clock.set(Instant.parse("2027-01-03T00:00:00Z"));
        await(limiter.acquire("newcomer", 1));
        assertThat(((LocalRollingQuotaLimiter) limiter).trackedKeys()).isEqualTo(2);
        assertThat(await(limiter.acquire("yesterday", 1)).allowed())
                .as("the use of the 2nd is still in the window")
                .isFalse();
    }
}
