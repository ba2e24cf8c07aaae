package dev.tollgate.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the monitor writes log time and its durations. */
final class TimeText {

    private static final DateTimeFormatter UTC_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** 10000-01-01T00:00:00Z: the years before it are written by hand. */
    private static final long FIRST_OF_YEAR_10000 = 253_402_300_800L;

    private TimeText() {}

    /** {@code 1549573956 (2019-02-07 21:12:36 UTC)}. */
    static String withUtc(long epochSecond) {
        return epochSecond + " (" + utc(epochSecond) + " UTC)";
    }

    /** {@code 2019-02-07 21:12:36}. */
    static String utc(long epochSecond) {
        if (!plain(epochSecond)) {
            return format(UTC_SECONDS, epochSecond);
        }
        return appendClock(appendDate(new StringBuilder(19), epochSecond).append(' '), epochSecond)
                .toString();
    }

    /** {@code 21:12:36}. */
    static String clock(long epochSecond) {
        if (!plain(epochSecond)) {
            return format(UTC_CLOCK, epochSecond);
        }
        return appendClock(new StringBuilder(8), epochSecond).toString();
    }

    /** {@code 2019-02-07T21:12:36.000Z}, as Tollgate's JSON writes timestamps. */
    static String iso(long epochSecond) {
        if (!plain(epochSecond)) {
            return format(ISO_MILLIS, epochSecond);
        }
        return appendClock(appendDate(new StringBuilder(24), epochSecond).append('T'), epochSecond)
                .append(".000Z")
                .toString();
    }

    /**
     * Whether {@code epochSecond} falls in the years 1970 to 9999, which are written by hand (a report writes a few
     * per chunk, and the formatters cost more than the rest of it); the formatters write the others.
     */
    private static boolean plain(long epochSecond) {
        return epochSecond >= 0 && epochSecond < FIRST_OF_YEAR_10000;
    }

    private static StringBuilder appendDate(StringBuilder text, long epochSecond) {
        LocalDate date = LocalDate.ofEpochDay(epochSecond / 86_400);
        text.append(date.getYear()).append('-');
        return two(two(text, date.getMonthValue()).append('-'), date.getDayOfMonth());
    }

    private static StringBuilder appendClock(StringBuilder text, long epochSecond) {
        int second = (int) (epochSecond % 86_400);
        two(text, second / 3600).append(':');
        return two(two(text, second / 60 % 60).append(':'), second % 60);
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** A whole-second {@code duration} in its largest whole unit, as a flag is written: {@code 1h}, {@code 90m}, {@code 45s}. */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** Beyond the years an {@link Instant} holds, a log line's number of seconds still gets an answer. */
    private static String format(DateTimeFormatter formatter, long epochSecond) {
        if (epochSecond > Instant.MAX.getEpochSecond()) {
            return "after the year 1000000000";
        }
        if (epochSecond < Instant.MIN.getEpochSecond()) {
            return "before the year -1000000000";
        }
        return formatter.format(Instant.ofEpochSecond(epochSecond));
    }
}
