package dev.tollgate.web.view;

import dev.tollgate.events.RateLimitEvent;
import java.util.List;
import java.util.Optional;

/**
 * The events page: the raw event log, newest first, one page at a time.
 *
 * @param page      what every page shares
 * @param filters   the filters of this listing, as the form shows them
 * @param rows      the events of this page
 * @param nextUrl   the next (older) page, empty on the last page
 * @param firstUrl  the first page of this listing
 * @param formAction where the filter form sends its query
 * @param error     why the query was refused, when it was
 */
public record EventsView(
        Page page,
        Filters filters,
        List<Row> rows,
        Optional<String> nextUrl,
        String firstUrl,
        String formAction,
        Optional<String> error) {

    public EventsView {
        rows = List.copyOf(rows);
    }

    /**
     * The filters as typed, empty when not set.
     *
     * @param key     exact key
     * @param rule    exact rule name
     * @param path    exact path
     * @param outcome {@code any}, {@code allowed} or {@code blocked}
     * @param from    first instant, UTC
     * @param to      instant after the last, UTC
     * @param search  text in the key or the path
     */
    public record Filters(
            String key, String rule, String path, String outcome, String from, String to, String search) {}

    /**
     * One event.
     *
     * @param index     its position on the page, from 0, for element ids
     * @param event     the event
     * @param time      its timestamp, ISO-8601 UTC
     * @param detailUrl the fragment that expands it
     * @param linkUrl   the same events as a listing, for browsers without JavaScript
     */
    public record Row(int index, RateLimitEvent event, String time, String detailUrl, String linkUrl) {}

    /**
     * An expanded row: every event of one key in one millisecond, with all their fields.
     *
     * @param events the events, newest first
     */
    public record Detail(List<RateLimitEvent> events) {

        public Detail {
            events = List.copyOf(events);
        }
    }
}
