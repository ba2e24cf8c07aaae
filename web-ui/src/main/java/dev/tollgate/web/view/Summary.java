package dev.tollgate.web.view;

import dev.tollgate.events.TrafficSummary;
import java.util.Locale;

/**
 * One row of cards: requests, allowed, blocked, would-be blocked by shadow rules and the block rate over a window.
 *
 * @param heading       what the cards cover ("Today", "Last 7 days")
 * @param id            the HTML id of the row
 * @param total         requests in the window
 * @param allowed       requests served with no rule objecting
 * @param blocked       refused requests
 * @param shadowBlocked requests served although a shadow rule would have refused them
 * @param blockRate     {@code blocked / total} with 3 decimals ({@code 0.375})
 */
public record Summary(
        String heading, String id, long total, long allowed, long blocked, long shadowBlocked, String blockRate) {

    /** The cards of {@code summary}. */
    public static Summary of(String heading, String id, TrafficSummary summary) {
        return new Summary(
                heading,
                id,
                summary.total(),
                summary.allowed(),
                summary.blocked(),
                summary.shadowBlocked(),
                rate(summary.blockRate()));
    }

    /** A block rate with 3 decimals. */
    public static String rate(double rate) {
        return String.format(Locale.ROOT, "%.3f", rate);
    }
}
