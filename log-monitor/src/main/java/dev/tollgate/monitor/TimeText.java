package dev.tollgate.monitor;

import java.time.Duration;
import java.time.Instant;
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

    private TimeText() {}

    /** {@code 1549573956 (2019-02-07 21:12:36 UTC)}. */
    static String withUtc(long epochSecond) {
        return epochSecond + " (" + utc(epochSecond) + " UTC)";
    }

    /** {@code 2019-02-07 21:12:36}. */
    static String utc(long epochSecond) {
        return format(UTC_SECONDS, epochSecond);
    }

    /** {@code 21:12:36}. */
    static String clock(long epochSecond) {
        return format(UTC_CLOCK, epochSecond);
    }

    /** {@code 2019-02-07T21:12:36.000Z}, as Tollgate's JSON writes timestamps. */
    static String iso(long epochSecond) {
        return format(ISO_MILLIS, epochSecond);
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
