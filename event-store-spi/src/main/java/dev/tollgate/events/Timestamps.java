package dev.tollgate.events;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The one timestamp form of Tollgate's events, reports and JSON: ISO-8601 in UTC with exactly three
 * millisecond digits and {@code Z}, as in {@code 2026-01-02T03:04:05.000Z}. Event time is kept to the
 * millisecond; anything finer is truncated (towards the past), never rounded.
 */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** {@code instant} in the wire form, truncated to the millisecond. */
    public static String format(Instant instant) {
        return FORMAT.format(truncate(instant));
    }

    /**
     * Reads an ISO-8601 instant ({@code Z} or an offset, any number of fraction digits) and truncates
     * it to the millisecond.
     *
     * @throws IllegalArgumentException quoting the text when it is not an ISO-8601 instant
     */
    public static Instant parse(String text) {
        Objects.requireNonNull(text, "text");
        try {
            return truncate(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "invalid timestamp '" + text + "': expected ISO-8601 UTC such as 2026-01-02T03:04:05.000Z", e);
        }
    }

    /** {@code instant} without its sub-millisecond part. */
    public static Instant truncate(Instant instant) {
        return Objects.requireNonNull(instant, "instant").truncatedTo(ChronoUnit.MILLIS);
    }
}
