package dev.tollgate.web.view;

import dev.tollgate.events.OffenderDetail;

/**
 * An offender's drill-down, opened in place under its row.
 *
 * @param detail    the store's detail of the key
 * @param blockRate the block rate with 3 decimals
 * @param firstSeen the first event in the window, UTC, or {@code -}
 * @param lastSeen  the last event in the window, UTC, or {@code -}
 * @param eventsUrl the key's events on the events page
 * @param jsonUrl   the same detail as JSON
 * @param timeline  the key's requests of the last hour, minute by minute
 * @param userAgents the user agents the key sent in the last hour, most requests first
 */
public record OffenderView(
        OffenderDetail detail,
        String blockRate,
        String firstSeen,
        String lastSeen,
        String eventsUrl,
        String jsonUrl,
        Chart timeline,
        java.util.List<Facts.Count> userAgents) {

    public OffenderView {
        userAgents = java.util.List.copyOf(userAgents);
    }
}
