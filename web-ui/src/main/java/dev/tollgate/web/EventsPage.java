package dev.tollgate.web;

import dev.tollgate.events.EventPage;
import dev.tollgate.events.EventQuery;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.Timestamps;
import dev.tollgate.web.view.EventsView;
import dev.tollgate.web.view.Page;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The events page, {@code dashboard/log/}: the raw event log, newest first, read-only. Filters by key,
 * rule, path, outcome ({@code allowed}, {@code blocked}, or {@code shadow_blocked}: labelled "would block (shadow)",
 * served although a shadow rule would have refused it) and time range ({@code from} inclusive, {@code to} exclusive, UTC), searches keys and
 * paths ({@code q}), and pages with the store's keyset cursor ({@code cursor}). {@code dashboard/log/event}
 * expands a row: every event of one key in one millisecond, with all their fields.
 */
final class EventsPage {

    static final int DEFAULT_PAGE_SIZE = 50;
    private static final int DETAIL_EVENTS = 100;

    private final Templates templates;

    EventsPage(Templates templates) {
        this.templates = templates;
    }

    void list(RoutingContext ctx, EventStore store) {
        String base = Responses.base(ctx);
        String action = base + "dashboard/log/";
        EventsView.Filters filters = new EventsView.Filters(
                Parameters.text(ctx, "key"),
                Parameters.text(ctx, "rule"),
                Parameters.text(ctx, "path"),
                Parameters.text(ctx, "outcome").toLowerCase(Locale.ROOT),
                Parameters.text(ctx, "from"),
                Parameters.text(ctx, "to"),
                Parameters.text(ctx, "q"));
        String size = Parameters.text(ctx, "size");
        String filterQuery = query(filters)
                + (size.isEmpty() ? "" : (query(filters).isEmpty() ? "" : "&") + "size=" + Parameters.encode(size));
        String firstUrl = action + (filterQuery.isEmpty() ? "" : "?" + filterQuery);
        Page page = StaffAccess.page(ctx, "Events");
        EventQuery query;
        try {
            query = query(
                    filters,
                    Parameters.clamped(
                            Parameters.first(ctx, "size").orElse(null), 1, EventQuery.MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
                    Parameters.text(ctx, "cursor"));
        } catch (IllegalArgumentException e) {
            render(
                    ctx,
                    400,
                    new EventsView(
                            page, filters, List.of(), Optional.empty(), firstUrl, action, Optional.of(e.getMessage())));
            return;
        }
        store.events(query).onComplete(answer -> {
            if (answer.failed()) {
                ctx.fail(answer.cause());
                return;
            }
            EventPage events = answer.result();
            List<EventsView.Row> rows = new ArrayList<>();
            for (int i = 0; i < events.events().size(); i++) {
                RateLimitEvent event = events.events().get(i);
                String time = Timestamps.format(event.timestamp());
                String key = Parameters.encode(event.key());
                rows.add(new EventsView.Row(
                        i,
                        event,
                        time,
                        action + "event?key=" + key + "&at=" + time,
                        action + "?key=" + key + "&from=" + time + "&to="
                                + Timestamps.format(event.timestamp().plusMillis(1))));
            }
            Optional<String> next = events.nextCursor()
                    .map(cursor ->
                            action + "?" + (filterQuery.isEmpty() ? "" : filterQuery + "&") + "cursor=" + cursor);
            render(ctx, 200, new EventsView(page, filters, rows, next, firstUrl, action, Optional.empty()));
        });
    }

    /** {@code dashboard/log/event?key=&at=}: the fragment of an expanded row. */
    void detail(RoutingContext ctx, EventStore store) {
        String key = Parameters.first(ctx, "key").orElse("");
        Instant at = instant("at", Parameters.text(ctx, "at"));
        if (at == null || key.isEmpty()) {
            throw new IllegalArgumentException("give ?key= and ?at= (an ISO-8601 UTC instant) of the event to expand");
        }
        EventQuery query = EventQuery.builder()
                .key(key)
                .from(at)
                .to(at.plusMillis(1))
                .pageSize(DETAIL_EVENTS)
                .build();
        store.events(query).onComplete(answer -> {
            if (answer.failed()) {
                ctx.fail(answer.cause());
            } else {
                Responses.html(
                        ctx,
                        200,
                        templates.render(
                                "eventDetail",
                                new EventsView.Detail(answer.result().events())));
            }
        });
    }

    private void render(RoutingContext ctx, int status, EventsView view) {
        Responses.html(ctx, status, templates.render(Responses.fromHtmx(ctx) ? "eventRows" : "events", view));
    }

    private static EventQuery query(EventsView.Filters filters, int pageSize, String cursor) {
        EventQuery.Builder query = EventQuery.builder().pageSize(pageSize);
        if (!filters.key().isEmpty()) {
            query.key(filters.key());
        }
        if (!filters.rule().isEmpty()) {
            query.ruleName(filters.rule());
        }
        if (!filters.path().isEmpty()) {
            query.path(filters.path());
        }
        query.outcome(
                switch (filters.outcome()) {
                    case "", "any" -> EventQuery.Outcome.ANY;
                    case "allowed" -> EventQuery.Outcome.ALLOWED;
                    case "blocked" -> EventQuery.Outcome.BLOCKED;
                    case "shadow_blocked" -> EventQuery.Outcome.SHADOW_BLOCKED;
                    default ->
                        throw new IllegalArgumentException("outcome must be any, allowed, blocked or shadow_blocked"
                                + " (would block: served, though a shadow rule would have refused it), got '"
                                + filters.outcome() + "'");
                });
        Instant from = instant("from", filters.from());
        Instant to = instant("to", filters.to());
        if (from != null) {
            query.from(from);
        }
        if (to != null) {
            query.to(to);
        }
        if (from != null && to != null && !to.isAfter(from)) {
            throw new IllegalArgumentException("to (" + filters.to() + ") must be after from (" + filters.from() + ")");
        }
        query.search(filters.search());
        if (!cursor.isEmpty()) {
            query.after(cursor);
        }
        return query.build();
    }

    /**
     * A time of the form: an ISO-8601 instant ({@code 2026-03-15T12:00:00.000Z}), a date and time without
     * zone ({@code 2026-03-15T12:00}, read as UTC) or a date ({@code 2026-03-15}, its midnight UTC); null when
     * empty.
     */
    static Instant instant(String name, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException notAnInstant) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADateTime) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notADate) {
                    throw new IllegalArgumentException(name + " must be a UTC time such as 2026-03-15T12:00 or "
                            + "2026-03-15T12:00:00.000Z, got '" + text + "'");
                }
            }
        }
    }

    /** The filters that are set, as a query string. */
    private static String query(EventsView.Filters filters) {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("q", filters.search());
        set.put("key", filters.key());
        set.put("rule", filters.rule());
        set.put("path", filters.path());
        set.put("outcome", filters.outcome());
        set.put("from", filters.from());
        set.put("to", filters.to());
        return set.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + Parameters.encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }
}
