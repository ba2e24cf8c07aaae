package dev.tollgate.limiter.algorithms;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.ConcurrencyLimiterContract;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.ManualClock;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.spi.LimiterProvider;
import org.junit.jupiter.api.Test;

/** The concurrency contract suite on the {@code local} backend, its provider found through ServiceLoader. */
class LocalConcurrencyLimiterContractTest extends ConcurrencyLimiterContract {

    private final LimiterRegistry registry = LimiterRegistry.fromServiceLoader();

    @Override
    protected LimiterProvider provider() {
        return registry.provider(ConcurrencyLimiter.ALGORITHM, "local");
    }

    @Override
    protected LimiterOptions options(NanoClock clock, String scope) {
        return LimiterOptions.defaults().withClock(clock).withScope(scope);
    }

    @Override
    protected boolean slotsExpire() {
        return false;
    }

    @Test
    void aKeyWhoseLastSlotComesBackTakesNoRoom() {
        LocalConcurrencyLimiter limiter = (LocalConcurrencyLimiter) create(
                new LimitSpec(ConcurrencyLimiter.ALGORITHM, 3, ConcurrencyLimiter.DEFAULT_SLOT_TIMEOUT, 3, 1),
                ManualClock.at(START));
        await(limiter.acquire("ip:203.0.113.5", 2));
        await(limiter.acquire("ip:203.0.113.6", 1));
        assertThat(limiter.trackedKeys()).isEqualTo(2);
        await(limiter.release("ip:203.0.113.5", 1));
        assertThat(limiter.trackedKeys()).isEqualTo(2);
        await(limiter.release("ip:203.0.113.5", 1));
        await(limiter.release("ip:203.0.113.6", 5));
        assertThat(limiter.trackedKeys()).isZero();
        await(limiter.release("ip:203.0.113.7", 1));
        assertThat(limiter.trackedKeys()).as("a release inserts nothing").isZero();
    }
}
