package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThatThrownBy(() -> MemoryBudget.ofBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 byte, got 0");
        MemoryBudget budget = MemoryBudget.ofBytes(10);
        assertThatThrownBy(() -> budget.charge(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.credit(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsCarryTheBudgetAndTheScope() {
        MemoryBudget budget = MemoryBudget.ofBytes(1 << 20);
        LimiterOptions options = LimiterOptions.defaults().withMemoryBudget(budget).withScope("login").withMaxKeys(5);
        assertThat(options.memoryBudget()).containsSame(budget);
        assertThat(options.scope()).isEqualTo("login");
        assertThat(options.withClock(NanoClock.system()).memoryBudget()).containsSame(budget);
        assertThat(LimiterOptions.defaults().memoryBudget()).isEmpty();
        assertThat(LimiterOptions.defaults().scope()).isEmpty();
    }
}
