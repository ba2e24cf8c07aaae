package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.spi.StateHolder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void aChargeSaysWhetherItTookTheBudgetOverItsLimit() {
        MemoryBudget budget = MemoryBudget.ofBytes(100);
        assertThat(budget.charge(60)).isFalse();
        assertThat(budget.charge(40)).as("exactly the limit is within it").isFalse();
        assertThat(budget.exceeded()).isFalse();
        assertThat(budget.charge(1)).isTrue();
        assertThat(budget.exceeded()).isTrue();
        assertThat(budget.used()).isEqualTo(101);
        budget.credit(41);
        assertThat(budget.exceeded()).isFalse();
        assertThat(budget.used()).isEqualTo(60);
        assertThat(budget.limit()).isEqualTo(100);
    }

    @Test
    void anUnboundedBudgetOnlyCounts() {
        MemoryBudget budget = MemoryBudget.unbounded();
        assertThat(budget.charge(Long.MAX_VALUE / 2)).isFalse();
        assertThat(budget.used()).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(budget.limit()).isEqualTo(Long.MAX_VALUE);
        assertThat(budget).hasToString("MemoryBudget[" + Long.MAX_VALUE / 2 + " of unbounded]");
    }

    @Test
    void concurrentChargesAndCreditsAddUp() throws Exception {
        MemoryBudget budget = MemoryBudget.ofBytes(1_000_000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 100_000; i++) {
                        budget.charge(3);
                        budget.credit(2);
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(budget.used()).isEqualTo(400_000);
    }

    @Test
    void refusesALimitBelowOneByteAndNegativeAmounts() {
        assertThatThrownBy(() -> MemoryBudget.ofBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 byte, got 0");
        MemoryBudget budget = MemoryBudget.ofBytes(10);
        assertThatThrownBy(() -> budget.charge(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.credit(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsCarryTheBudgetAndTheScope() {
        MemoryBudget budget = MemoryBudget.ofBytes(1 << 20);
        LimiterOptions options = LimiterOptions.defaults()
                .withMemoryBudget(budget)
                .withScope("login")
                .withMaxKeys(5);
        assertThat(options.memoryBudget()).containsSame(budget);
        assertThat(options.scope()).isEqualTo("login");
        assertThat(options.withClock(NanoClock.system()).memoryBudget()).containsSame(budget);
        assertThat(LimiterOptions.defaults().memoryBudget()).isEmpty();
        assertThat(LimiterOptions.defaults().scope()).isEmpty();
    }

    @Test
    void aLimiterWithinItsFairShareNamesTheLimiterHoldingTheMost() {
        MemoryBudget budget = MemoryBudget.ofBytes(900);
        FixedHolder flooded = new FixedHolder(700);
        FixedHolder quiet = new FixedHolder(100);
        FixedHolder other = new FixedHolder(200);
        budget.register(flooded);
        budget.register(quiet);
        budget.register(other);
        assertThat(budget.holders()).isEqualTo(3);
        assertThat(budget.fairShare()).isEqualTo(300);
        assertThat(budget.victim(quiet)).isSameAs(flooded);
        assertThat(budget.victim(other)).isSameAs(flooded);
        assertThat(budget.victim(flooded))
                .as("past its share, a limiter drops its own")
                .isSameAs(flooded);
    }

    @Test
    void aLimiterPastItsFairShareNamesItselfEvenWhenAnotherHoldsMore() {
        MemoryBudget budget = MemoryBudget.ofBytes(1_000);
        FixedHolder largest = new FixedHolder(600);
        FixedHolder charging = new FixedHolder(501);
        budget.register(largest);
        budget.register(charging);
        assertThat(budget.victim(charging)).isSameAs(charging);
        charging.bytes = 500;
        assertThat(budget.victim(charging)).as("exactly its share is within it").isSameAs(largest);
    }

    @Test
    void aLimiterHoldingTheMostOrAloneNamesItself() {
        MemoryBudget budget = MemoryBudget.ofBytes(1_000);
        FixedHolder alone = new FixedHolder(400);
        assertThat(budget.victim(alone)).as("unregistered, no other to weigh").isSameAs(alone);
        budget.register(alone);
        budget.register(new FixedHolder(300));
        assertThat(budget.victim(alone)).isSameAs(alone);
    }

    @Test
    void registeringIsIdempotentAndUnregisteringGivesTheShareToTheOthers() {
        MemoryBudget budget = MemoryBudget.ofBytes(1_000);
        FixedHolder first = new FixedHolder(0);
        FixedHolder second = new FixedHolder(0);
        budget.register(first);
        budget.register(first);
        budget.register(second);
        assertThat(budget.holders()).isEqualTo(2);
        assertThat(budget.fairShare()).isEqualTo(500);
        budget.unregister(second);
        budget.unregister(second);
        assertThat(budget.holders()).isEqualTo(1);
        assertThat(budget.fairShare()).isEqualTo(1_000);
        budget.unregister(first);
        assertThat(budget.holders()).isZero();
        assertThat(budget.fairShare())
                .as("with nobody registered, the whole budget")
                .isEqualTo(1_000);
    }

    /** A holder whose bytes the test sets; it has no states to shed. */
    private static final class FixedHolder implements StateHolder {

        long bytes;

        FixedHolder(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public long bytesHeld() {
            return bytes;
        }

        @Override
        public boolean shed() {
            return false;
        }
    }
}
