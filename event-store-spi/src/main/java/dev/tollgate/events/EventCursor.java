package dev.tollgate.events;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a page of {@link EventStore#events events} ended: the timestamp of its last (oldest) event and a
 * tiebreak unique among the events of the store (a sequence number, a row id). Events are listed newest
 * first, by timestamp descending and then tiebreak descending; the next page starts with the first event
 * {@link #isPast past} the cursor, so pages never overlap or skip, even across equal timestamps and
 * while newer events arrive.
 *
 * <p>Callers see only the {@link #encode() encoded} form, an opaque URL-safe string.
 *
 * @param timestamp the last event's timestamp, millisecond precision
 * @param tiebreak  the last event's tiebreak
 */
public record EventCursor(Instant timestamp, long tiebreak) {

    private static final String VERSION = "e1";

    public EventCursor {
        timestamp = Timestamps.truncate(Objects.requireNonNull(timestamp, "timestamp"));
    }

    /** The opaque form handed to callers as {@link EventPage#nextCursor()}. */
    public String encode() {
        String plain = VERSION + ":" + timestamp.toEpochMilli() + ":" + tiebreak;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads what {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException when {@code text} is not a cursor this class wrote
     */
    public static EventCursor decode(String text) {
        Objects.requireNonNull(text, "cursor");
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            String[] parts = plain.split(":", -1);
            if (parts.length == 3 && parts[0].equals(VERSION)) {
                return new EventCursor(Instant.ofEpochMilli(Long.parseLong(parts[1])), Long.parseLong(parts[2]));
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            // falls through to the answer below
        }
        throw new IllegalArgumentException("invalid cursor '" + text
                + "': pass the next_cursor of a previous page unchanged, or no cursor for the first page");
    }

    /**
     * Whether an event at {@code epochMillis} with {@code tiebreak} comes after this cursor in newest-first
     * order, that is on a later page.
     */
    public boolean isPast(long epochMillis, long tiebreak) {
        long millis = timestamp.toEpochMilli();
        return epochMillis < millis || (epochMillis == millis && tiebreak < this.tiebreak);
    }
}
