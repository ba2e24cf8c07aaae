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
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The periods a quota counts over: calendar days, ISO weeks (Monday to Monday), months or years in a time zone, or
 * a rolling window of {@code n} days. A calendar period starts at the start of its first day in the zone and ends at
 * the start of the next period's first day, so a day across a change of daylight saving time is 23 or 25 hours long,
 * a month is as long as the month, February included in a leap year.
 *
 * <p>A rolling window of {@code n} days ({@code 30d}, {@link #rolling()}) counts at day granularity: at any time it
 * holds the current day in the zone and the {@code n - 1} days before it, so a day's use leaves the window at the
 * start of the {@code n}-th day after it, in the zone. Every key and every node sees the same days, and {@code 1d}
 * counts the current day alone, as {@code day} does. A limiter of a rolling period keeps a key's count per day
 * ({@link #epochDay}) and decides with {@link #rollingDecision}.
 *
 * @param unit what a period is
 * @param days for {@link Unit#DAYS}, the days in the rolling window (1 to 365); 1 for the other units
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
        /** A rolling window of {@code days} days: the current day and the {@code days - 1} before it. */
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

    /** Whether this is a rolling window of days ({@link Unit#DAYS}) rather than a calendar period. */
    public boolean rolling() {
        return unit == Unit.DAYS;
    }

    /**
     * The first day of the period that holds {@code date}; for a rolling window, the first day of the window whose
     * current day is {@code date}: {@code days - 1} days before it.
     */
    public LocalDate firstDay(LocalDate date) {
        return switch (unit) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
            case YEAR -> date.withDayOfYear(1);
            case DAYS -> date.minusDays(days - 1L);
        };
    }

    /** The first day after the period whose first day is {@code firstDay}. */
    private LocalDate nextFirstDay(LocalDate firstDay) {
        return switch (unit) {
            case DAY -> firstDay.plusDays(1);
            case WEEK -> firstDay.plusWeeks(1);
            case MONTH -> firstDay.plusMonths(1);
            case YEAR -> firstDay.plusYears(1);
            case DAYS -> firstDay.plusDays(days);
        };
    }

    /**
     * The period that holds {@code instant}: from its start, inclusive, to its end, exclusive. For a rolling window,
     * the window at {@code instant}: from the start of its first day to the end of the current day, when the window
     * moves on by a day.
     */
    public Bounds bounds(Instant instant) {
        LocalDate first = firstDay(LocalDate.ofInstant(instant, zone));
        return new Bounds(
                first.atStartOfDay(zone).toInstant(),
                nextFirstDay(first).atStartOfDay(zone).toInstant());
    }

    /** The day in the zone that holds the time {@code epochNanos}, as days since 1970-01-01. */
    public long epochDay(long epochNanos) {
        return LocalDate.ofInstant(instant(epochNanos), zone).toEpochDay();
    }

    /** When the day {@code epochDay} (days since 1970-01-01) starts in the zone, in nanoseconds since the epoch. */
    public long dayStartEpochNanos(long epochDay) {
        Instant start = LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant();
        return start.getEpochSecond() * 1_000_000_000L + start.getNano();
    }

    /**
     * The decision of a rolling window at {@code nowNanos}, on day {@code today}, from the key's count per day in the
     * window, this acquisition's included when admitted: {@code counts[i]} permits taken on {@code days[i]} (days
     * since 1970-01-01 in the zone, any order, none before the window). The decision's count is their sum, its remaining
     * the limit less it. An admission's reset is when the oldest day with a count leaves the window, when some of the
     * allowance comes back; a refusal's reset is the first start of a day at which enough has left the window for
     * {@code permits} to fit, and its {@code retryAfter} the time until then.
     *
     * @param permits the permits asked (at most the limit): what a refusal waits to fit
     */
    public Decision rollingDecision(
            boolean allowed, long limit, long permits, long today, long[] days, long[] counts, long nowNanos) {
        if (!rolling()) {
            throw new IllegalStateException("a " + this + " quota is not rolling");
        }
        if (days.length != counts.length) {
            throw new IllegalArgumentException("one count per day: " + days.length + " days, " + counts.length);
        }
        Integer[] order = new Integer[days.length];
        long used = 0;
        for (int i = 0; i < days.length; i++) {
            order[i] = i;
            used += counts[i];
        }
        Arrays.sort(order, (a, b) -> Long.compare(days[a], days[b]));
        long resetDay = today + 1;
        if (allowed) {
            for (int i : order) {
                if (counts[i] > 0) {
                    resetDay = days[i] + this.days;
                    break;
                }
            }
        } else {
            long left = used;
            for (int i : order) {
                left -= counts[i];
                resetDay = days[i] + this.days;
                if (left + permits <= limit) {
                    break;
                }
            }
        }
        long reset = dayStartEpochNanos(resetDay);
        return new Decision(
                allowed, limit, Math.max(0, limit - used), used, reset, allowed ? 0 : Math.max(0, reset - nowNanos));
    }

    /** The period that holds the time {@code epochNanos}. */
    public Bounds bounds(long epochNanos) {
        return bounds(instant(epochNanos));
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /**
     * The longest a period can be, within {@link LimitSpec#MAX_WINDOW}: a quota's {@link LimitSpec#window()}, which
     * says how long a period is, not when it starts; for a rolling window, its days.
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
