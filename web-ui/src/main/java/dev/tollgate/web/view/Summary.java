package dev.tollgate.web.view;

import dev.tollgate.events.TrafficSummary;
import java.util.Locale;

/**
 * One row of cards: requests, allowed, blocked and the block rate over a window.
 *
 * @param heading   what the cards cover ("Today", "Last 7 days")
 * @param id        the HTML id of the row
 * @param total     requests in the window
 * @param allowed   allowed requests
 * @param blocked   blocked requests
 * @param blockRate {@code blocked / total} with 3 decimals ({@code 0.375})
 */
public record Summary(String heading, String id, long total, long allowed, long blocked, String blockRate) {

    /** The cards of {@code summary}. */
    public static Summary of(String heading, String id, TrafficSummary summary) {
        return new Summary(heading, id, summary.total(), summary.allowed(), summary.blocked(),
                rate(summary.blockRate()));
    }

    /** A block rate with 3 decimals. */
    public static String rate(double rate) {
        return String.format(Locale.ROOT, "%.3f", rate);
    }
}
