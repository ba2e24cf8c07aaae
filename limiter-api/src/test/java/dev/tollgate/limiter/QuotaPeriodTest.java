package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class QuotaPeriodTest {

    @Test
    void readsTheCalendarUnitsAndRunsOfDays() {
        assertThat(QuotaPeriod.parse("day", ZoneOffset.UTC).unit()).isEqualTo(QuotaPeriod.Unit.DAY);
        assertThat(QuotaPeriod.parse(" Month ", ZoneOffset.UTC).id()).isEqualTo("month");
        assertThat(QuotaPeriod.parse("week", ZoneOffset.UTC).nominalLength()).isEqualTo(Duration.ofDays(7));
        assertThat(QuotaPeriod.parse("year", ZoneOffset.UTC).nominalLength()).isEqualTo(LimitSpec.MAX_WINDOW);
        QuotaPeriod run = QuotaPeriod.parse("30d", ZoneId.of("Asia/Tokyo"));
        assertThat(run.days()).isEqualTo(30);
        assertThat(run.id()).isEqualTo("30d");
        assertThat(run).hasToString("30d in Asia/Tokyo");
        assertThat(QuotaPeriod.parse("365d", ZoneOffset.UTC).days()).isEqualTo(365);
    }

    @Test
    void refusesAnythingElseSayingWhatIsAccepted() {
        for (String bad : new String[] {"", "fortnight", "0d", "366d", "-1d", "30", "1.5d", "d"}) {
            assertThatThrownBy(() -> QuotaPeriod.parse(bad, ZoneOffset.UTC))
                    .isInstanceOfSatisfying(
                            SettingsException.class, e -> assertThat(e.key()).isEqualTo("period"))
                    .hasMessageContaining("expected day, week, month, year or a number of days from 1d to 365d");
        }
        assertThatThrownBy(() -> QuotaPeriod.parse("x".repeat(10_000), ZoneOffset.UTC))
                .hasMessageContaining("…")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void readsZonesAndRefusesUnknownOnes() {
        assertThat(QuotaPeriod.zone("Europe/Paris")).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(QuotaPeriod.zone("+02:00")).isEqualTo(ZoneOffset.ofHours(2));
        assertThat(QuotaPeriod.parse("day", QuotaPeriod.zone("UTC")))
                .as("UTC, Etc/UTC and Z are one zone")
                .isEqualTo(QuotaPeriod.parse("day", QuotaPeriod.zone("Etc/UTC")))
                .isEqualTo(QuotaPeriod.daily());
        assertThat(QuotaPeriod.daily().zoneName()).isEqualTo("UTC");
        assertThat(QuotaPeriod.parse("day", QuotaPeriod.zone("Etc/GMT-2")).zoneName())
                .isEqualTo("+02:00");
        assertThatThrownBy(() -> QuotaPeriod.zone("Mars/Olympus"))
                .isInstanceOfSatisfying(
                        SettingsException.class, e -> assertThat(e.key()).isEqualTo("zone"))
                .hasMessageContaining("unknown time zone 'Mars/Olympus'");
    }

    @Test
    void aPeriodHoldsItsStartAndNotItsEnd() {
        QuotaPeriod daily = QuotaPeriod.parse("day", ZoneId.of("Asia/Kolkata"));
        QuotaPeriod.Bounds bounds = daily.bounds(Instant.parse("2027-06-01T18:30:00Z"));
        assertThat(bounds.start()).isEqualTo(Instant.parse("2027-06-01T18:30:00Z"));
        assertThat(bounds.end()).isEqualTo(Instant.parse("2027-06-02T18:30:00Z"));
        assertThat(daily.bounds(Instant.parse("2027-06-01T18:29:59.999Z")).end())
                .isEqualTo(Instant.parse("2027-06-01T18:30:00Z"));
    }
}
