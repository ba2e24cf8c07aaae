package dev.tollgate.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of raw events, newest first.
 *
 * @param events     at most {@link EventQuery#pageSize()} events
 * @param nextCursor present when more events match: pass it to {@link EventQuery#after(String)} for the
 *                   next page
 */
public record EventPage(List<RateLimitEvent> events, Optional<String> nextCursor) {

    public EventPage {
        events = List.copyOf(events);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }

    /** {@code {events: [...], next_cursor}}, the cursor {@code null} on the last page. */
    public JsonObject toJson() {
        JsonArray rows = new JsonArray();
        events.forEach(event -> rows.add(event.toJson()));
        return new JsonObject().put("events", rows).put("next_cursor", nextCursor.orElse(null));
    }
}
