package dev.tollgate.limiter;

import dev.tollgate.plugin.SettingsException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The periods a quota counts over: calendar days, ISO weeks (Monday to Monday), months or years in a time zone, or
 * runs of {@code n} days. A period starts at the start of its first day in the zone and ends at the start of the
 * next period's first day, so a day across a change of daylight saving time is 23 or 25 hours long, a month is as
 * long as the month, February included in a leap year.
 *
 * <p>A run of {@code n} days ({@code 30d}) is not rolling from each key's first request: the days since
 * 1970-01-01 in the zone are cut into consecutive runs of {@code n} days from that date, so every key and every node
 * sees the same periods, a period's start is known from the time alone, and {@code 1d} is the same as {@code day}.
 *
 * @param unit what a period is
 * @param days for {@link Unit#DAYS}, the days in a period (1 to 365); 1 for the other units
 * @param zone the time zone the periods are aligned in, {@linkplain ZoneId#normalized() normalized}: a zone of a
 *     fixed offset is that offset, {@code UTC} is {@link ZoneOffset#UTC}
 */
public record QuotaPeriod(Unit unit, int days, ZoneId zone) {

    /** The most days a run of days may have. */
    public static final int MAX_DAYS = 365;

    private static final Pattern RUN = Pattern.compile("([1-9][0-9]{0,2})d");

    /** What a period is. */
    public enum Unit {
        /** A calendar day. */
        DAY,
        /** An ISO week, from Monday's start. */
        WEEK,
        /** A calendar month. */
        MONTH,
        /** A calendar year. */
        YEAR,
        /** A run of {@code days} days, counted from 1970-01-01 in the zone. */
        DAYS
    }

    public QuotaPeriod {
        Objects.requireNonNull(unit, "unit");
        // UTC, Etc/UTC and Z are one zone, and so are +02:00 and Etc/GMT-2: one period, one count
        zone = Objects.requireNonNull(zone, "zone").normalized();
        if (unit == Unit.DAYS ? days < 1 || days > MAX_DAYS : days != 1) {
            throw new IllegalArgumentException(
                    "a run of days has 1 to " + MAX_DAYS + " days, any other period 1; got " + days);
        }
    }

    /** Calendar days in UTC. */
    public static QuotaPeriod daily() {
        return new QuotaPeriod(Unit.DAY, 1, ZoneOffset.UTC);
    }

    /**
     * Reads a period as rules write it: {@code day}, {@code week}, {@code month}, {@code year} or {@code <n>d}
     * ({@code 30d}, n from 1 to {@value #MAX_DAYS}).
     *
     * @throws SettingsException keyed {@code period}, saying what is accepted
     */
    public static QuotaPeriod parse(String text, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        String period = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Unit unit = switch (period) {
            case "day" -> Unit.DAY;
            case "week" -> Unit.WEEK;
            case "month" -> Unit.MONTH;
            case "year" -> Unit.YEAR;
            default -> Unit.DAYS;
        };
        if (unit != Unit.DAYS) {
            return new QuotaPeriod(unit, 1, zone);
        }
        Matcher run = RUN.matcher(period);
        if (run.matches() && Integer.parseInt(run.group(1)) <= MAX_DAYS) {
            return new QuotaPeriod(Unit.DAYS, Integer.parseInt(run.group(1)), zone);
        }
        throw new SettingsException(
                "period",
                "expected day, week, month, year or a number of days from 1d to " + MAX_DAYS + "d, got '"
                        + (period.length() > 40 ? period.substring(0, 40) + "…" : period) + "'");
    }

    /**
     * Reads a time zone as rules write it: a region ({@code Europe/Paris}), {@code UTC} or an offset
     * ({@code +02:00}).
     *
     * @throws SettingsException keyed {@code zone}, saying what is accepted
     */
    public static ZoneId zone(String text) {
        try {
            return ZoneId.of(Objects.requireNonNull(text, "zone").trim());
        } catch (DateTimeException e) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
            throw new SettingsException(
                    "zone", "unknown time zone '" + shown + "'; write a region such as Europe/Paris, UTC or +02:00");
        }
    }

    /** The period as rules write it: {@code day}, {@code week}, {@code month}, {@code year} or {@code 30d}. */
    public String id() {
        return unit == Unit.DAYS ? days + "d" : unit.name().toLowerCase(Locale.ROOT);
    }

    /** The zone as rules write it: {@code UTC}, a region ({@code Europe/Paris}) or an offset ({@code +05:30}). */
    public String zoneName() {
        return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
    }

    /** The first day of the period that holds {@code date}. */
    public LocalDate firstDay(LocalDate date) {
        return switch (unit) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
            case YEAR -> date.withDayOfYear(1);
            case DAYS -> LocalDate.ofEpochDay(Math.floorDiv(date.toEpochDay(), (long) days) * days);
        };
    }

    /** The first day of the period after the one that starts on {@code firstDay}. */
    private LocalDate nextFirstDay(LocalDate firstDay) {
        return switch (unit) {
            case DAY -> firstDay.plusDays(1);
            case WEEK -> firstDay.plusWeeks(1);
            case MONTH -> firstDay.plusMonths(1);
            case YEAR -> firstDay.plusYears(1);
            case DAYS -> firstDay.plusDays(days);
        };
    }

    /** The period that holds {@code instant}: from its start, inclusive, to its end, exclusive. */
    public Bounds bounds(Instant instant) {
        LocalDate first = firstDay(LocalDate.ofInstant(instant, zone));
        return new Bounds(
                first.atStartOfDay(zone).toInstant(),
                nextFirstDay(first).atStartOfDay(zone).toInstant());
    }

    /** The period that holds the time {@code epochNanos}. */
    public Bounds bounds(long epochNanos) {
        return bounds(Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L)));
    }

    /**
     * The longest a period can be, within {@link LimitSpec#MAX_WINDOW}: a quota's {@link LimitSpec#window()}, which
     * says how long a period is, not when it starts.
     */
    public Duration nominalLength() {
        Duration length = switch (unit) {
            case DAY -> Duration.ofDays(1);
            case WEEK -> Duration.ofDays(7);
            case MONTH -> Duration.ofDays(31);
            case YEAR -> Duration.ofDays(366);
            case DAYS -> Duration.ofDays(days);
        };
        return length.compareTo(LimitSpec.MAX_WINDOW) > 0 ? LimitSpec.MAX_WINDOW : length;
    }

    @Override
    public String toString() {
        return id() + " in " + zoneName();
    }

    /**
     * One period.
     *
     * @param start when it starts, inclusive
     * @param end   when it ends, exclusive: the next period's start
     */
    public record Bounds(Instant start, Instant end) {

        /** The start in nanoseconds since the epoch. */
        public long startEpochNanos() {
            return start.getEpochSecond() * 1_000_000_000L + start.getNano();
        }

        /** The end in nanoseconds since the epoch. */
        public long endEpochNanos() {
            return end.getEpochSecond() * 1_000_000_000L + end.getNano();
        }
    }
}
