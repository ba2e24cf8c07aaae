package dev.tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void writesExactlyThreeMillisecondDigitsAndZ() {
        assertThat(Timestamps.format(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(Timestamps.format(Instant.parse("2026-01-02T03:04:05.1Z"))).isEqualTo("2026-01-02T03:04:05.100Z");
    }

    @Test
    void truncatesRatherThanRounds() {
        assertThat(Timestamps.format(Instant.parse("2026-01-02T03:04:05.999999999Z")))
                .isEqualTo("2026-01-02T03:04:05.999Z");
    }

    @Test
    void readsOffsetsAndAnyFractionIntoUtcMilliseconds() {
        assertThat(Timestamps.parse("2026-01-02T04:04:05.123456+01:00"))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.123Z"));
        assertThat(Timestamps.parse("2026-01-02T03:04:05Z")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void saysWhatItExpectsOfUnreadableText() {
        assertThatThrownBy(() -> Timestamps.parse("02/01/2026"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'02/01/2026'")
                .hasMessageContaining("2026-01-02T03:04:05.000Z");
    }
}
