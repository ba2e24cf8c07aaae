package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class LimitSpecTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void defaultsBurstToTheLimitAndCostToOne() {
        LimitSpec spec = LimitSpec.of("token-bucket", 100, MINUTE);
        assertThat(spec.burst()).isEqualTo(100);
        assertThat(spec.cost()).isEqualTo(1);
        assertThat(spec.withBurst(200).withCost(5)).isEqualTo(new LimitSpec("token-bucket", 100, MINUTE, 200, 5));
        assertThat(spec.withBurst(200).withCost(5)).hasToString("token-bucket 100/1m burst 200 cost 5");
    }

    @Test
    void rejectsZeroNegativeAndHugeLimitsNamingTheField() {
        assertRefused(() -> LimitSpec.of("gcra", 0, MINUTE), "limit", "limit must be between 1 and 1000000000, got 0");
        assertRefused(
                () -> LimitSpec.of("gcra", -1, MINUTE), "limit", "limit must be between 1 and 1000000000, got -1");
        assertRefused(() -> LimitSpec.of("gcra", Long.MAX_VALUE, MINUTE), "limit", "limit must be between", false);
        assertRefused(() -> LimitSpec.of("gcra", 5, MINUTE).withBurst(0), "burst", "burst must be between", false);
        assertRefused(() -> LimitSpec.of("gcra", 5, MINUTE).withCost(-2), "cost", "cost must be between", false);
    }

    @Test
    void rejectsWindowsOutsideAMillisecondToAYear() {
        assertRefused(
                () -> LimitSpec.of("gcra", 5, Duration.ZERO), "window", "window must be between 1ms and 365d, got 0s");
        assertRefused(
                () -> LimitSpec.of("gcra", 5, Duration.ofSeconds(-5)),
                "window",
                "window must be between 1ms and 365d, got -5s");
        assertRefused(
                () -> LimitSpec.of("gcra", 5, Duration.ofDays(366)),
                "window",
                "window must be between 1ms and 365d, got 366d");
        assertRefused(
                () -> LimitSpec.of("gcra", 5, Duration.ofNanos(999_999)),
                "window",
                "window must be between 1ms and 365d",
                false);
    }

    @Test
    void rejectsACostNoRequestCouldEverPay() {
        assertRefused(
                () -> LimitSpec.of("token-bucket", 5, MINUTE).withCost(6),
                "cost",
                "cost 6 is more than the burst 5: no request could ever be admitted; raise burst or lower cost");
    }

    @Test
    void rejectsAnEmptyAlgorithm() {
        assertRefused(() -> LimitSpec.of(" ", 5, MINUTE), "algorithm", "algorithm must not be empty");
    }

    @Test
    void aProviderOfAnotherAlgorithmOrAWindowTooSmallForTheCostIsRefusedNamingTheField() {
        LimitSpec spec = LimitSpec.of("fixed-window", 5, MINUTE).withBurst(10).withCost(8);
        assertRefused(
                () -> spec.checkEnforceableBy("gcra", false),
                "algorithm",
                "the gcra provider cannot build a fixed-window limiter");
        assertRefused(
                () -> spec.checkEnforceableBy("fixed-window", true),
                "cost",
                "fixed-window: cost 8 is more than the limit 5, so no request could ever be admitted",
                false);
        spec.withAlgorithm("token-bucket").checkEnforceableBy("token-bucket", false);
    }

    @Test
    void theFieldsAreTheComponentsOfTheRecord() {
        assertThat(LimitSpec.FIELDS)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(LimitSpec.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .toList());
    }

    /** {@code refused} throws a {@link SettingsException} at {@code key} whose problem is {@code problem}. */
    private static void assertRefused(ThrowingCallable refused, String key, String problem) {
        assertRefused(refused, key, problem, true);
    }

    /** {@code refused} throws a {@link SettingsException} at {@code key} whose problem is or starts with {@code problem}. */
    private static void assertRefused(ThrowingCallable refused, String key, String problem, boolean whole) {
        assertThatThrownBy(refused).isInstanceOfSatisfying(SettingsException.class, e -> {
            assertThat(e.key()).isEqualTo(key);
            if (whole) {
                assertThat(e.problem()).isEqualTo(problem);
                assertThat(e).hasMessage(key + ": " + problem);
            } else {
                assertThat(e.problem()).startsWith(problem);
                assertThat(e).hasMessageStartingWith(key + ": " + problem);
            }
        });
    }
}
