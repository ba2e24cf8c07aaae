package dev.tollgate.web.view;

import java.util.List;

/**
 * The dashboard page. {@link #panels()} is what the days selector swaps.
 *
 * @param page    what every page shares
 * @param today   the cards of the last 24 hours
 * @param live    the live counters at render time
 * @param dropped events this node could not record; a banner shows when above 0
 * @param panels  everything that depends on the window
 */
public record DashboardView(Page page, Summary today, Live live, long dropped, Panels panels) {

    /**
     * The part of the dashboard that depends on the window.
     *
     * @param range      the window: {@code 15m}, {@code 1h}, ... or whole days ({@code 12d})
     * @param days       the window in whole days, 0 when it is not
     * @param choices    the windows the selector offers, including {@code range}
     * @param window     the cards of the window
     * @param chart        allowed, shadow-blocked and blocked requests over the window
     * @param offenders    the top offenders (enforced blocks), at most 20
     * @param rules        the rules with the most hits, at most 20
     * @param csvUrl       the offenders of the window as CSV
     * @param shadowCsvUrl the would-be offenders of shadow rules over the window as CSV
     * @param formAction   where the days selector sends its form
     * @param facts        blocked paths and user agents, the upstream's answers and blocks per rule
     */
    public record Panels(
            String range,
            int days,
            List<String> choices,
            Summary window,
            Chart chart,
            List<OffenderRow> offenders,
            List<RuleRow> rules,
            String csvUrl,
            String shadowCsvUrl,
            String formAction,
            Facts facts) {

        public Panels {
            choices = List.copyOf(choices);
            offenders = List.copyOf(offenders);
            rules = List.copyOf(rules);
        }
    }
}
