package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Objects;

/**
 * A row of a ranking of blocked events (enforced blocks) by one field: by path ({@link EventStore#topBlockedPaths}),
 * by user agent ({@link EventStore#topBlockedUserAgents}), or the user agents of one key
 * ({@link OffenderTimeline#userAgents()}, where the count is of all the key's events).
 *
 * @param value the path or user agent
 * @param count its events in the range, at least 1
 */
public record BlockedCount(String value, long count) {

    /** The order of every such ranking: count descending, then value ascending. */
    public static final Comparator<BlockedCount> ORDER =
            Comparator.comparingLong(BlockedCount::count).reversed().thenComparing(BlockedCount::value);

    public BlockedCount {
        Objects.requireNonNull(value, "value");
        if (count < 1) {
            throw new IllegalArgumentException("a ranked row counts at least one event, got " + count);
        }
    }

    /** {@code {NAME: value, FIELD: count}}, as {@code {path, blocked}} or {@code {user_agent, blocked}}. */
    public JsonObject toJson(String name, String field) {
        return new JsonObject().put(name, value).put(field, count);
    }
}
