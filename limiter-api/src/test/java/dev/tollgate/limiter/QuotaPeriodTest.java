package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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

    @Test
    void aRollingWindowRunsFromItsFirstDaysStartToTheEndOfTheCurrentDay() {
        QuotaPeriod run = QuotaPeriod.parse("30d", ZoneId.of("Asia/Kolkata"));
        assertThat(run.rolling()).isTrue();
        assertThat(QuotaPeriod.parse("month", ZoneOffset.UTC).rolling()).isFalse();
        // 2027-06-02 00:00 in Kolkata: the window holds 2027-05-04 to 2027-06-02
        QuotaPeriod.Bounds window = run.bounds(Instant.parse("2027-06-01T18:30:00Z"));
        assertThat(window.start()).isEqualTo(Instant.parse("2027-05-03T18:30:00Z"));
        assertThat(window.end()).isEqualTo(Instant.parse("2027-06-02T18:30:00Z"));
        assertThat(run.bounds(Instant.parse("2027-06-01T18:29:59Z")).start())
                .isEqualTo(Instant.parse("2027-05-02T18:30:00Z"));
        assertThat(run.epochDay(window.startEpochNanos()))
                .isEqualTo(LocalDate.of(2027, 5, 4).toEpochDay());
        assertThat(run.dayStartEpochNanos(LocalDate.of(2027, 5, 4).toEpochDay()))
                .isEqualTo(window.startEpochNanos());
        assertThat(QuotaPeriod.parse("1d", ZoneId.of("Asia/Kolkata")).bounds(Instant.parse("2027-06-01T18:30:00Z")))
                .as("a rolling day is the calendar day")
                .isEqualTo(QuotaPeriod.parse("day", ZoneId.of("Asia/Kolkata"))
                        .bounds(Instant.parse("2027-06-01T18:30:00Z")));
    }

    @Test
    void aRollingRefusalWaitsForTheFirstDayWhoseLeavingMakesRoom() {
        QuotaPeriod run = QuotaPeriod.parse("7d", ZoneOffset.UTC);
        long today = LocalDate.of(2027, 1, 10).toEpochDay();
        long now = run.dayStartEpochNanos(today) + 3_600_000_000_000L;
        // any order: 4 on the 9th, 1 on the 4th, 3 on the 5th
        long[] days = {today - 1, today - 6, today - 5};
        long[] counts = {4, 1, 3};
        Decision one = run.rollingDecision(false, 8, 1, today, days, counts, now);
        assertThat(one.count()).isEqualTo(8);
        assertThat(one.remaining()).isZero();
        assertThat(one.resetAt()).as("the 4th leaves on the 11th").isEqualTo(Instant.parse("2027-01-11T00:00:00Z"));
        assertThat(one.retryAfter()).isEqualTo(Duration.ofHours(23));
        Decision three = run.rollingDecision(false, 8, 3, today, days, counts, now);
        assertThat(three.resetAt()).as("the 5th leaves on the 12th").isEqualTo(Instant.parse("2027-01-12T00:00:00Z"));
        Decision eight = run.rollingDecision(false, 8, 8, today, days, counts, now);
        assertThat(eight.resetAt()).as("the 9th leaves on the 16th").isEqualTo(Instant.parse("2027-01-16T00:00:00Z"));
        Decision admitted = run.rollingDecision(true, 10, 2, today, days, counts, now);
        assertThat(admitted.retryAfterNanos()).isZero();
        assertThat(admitted.remaining()).isEqualTo(2);
        assertThat(admitted.resetAt()).isEqualTo(Instant.parse("2027-01-11T00:00:00Z"));
        assertThatThrownBy(() -> QuotaPeriod.daily().rollingDecision(true, 1, 1, today, days, counts, now))
                .isInstanceOf(IllegalStateException.class);
    }
}
