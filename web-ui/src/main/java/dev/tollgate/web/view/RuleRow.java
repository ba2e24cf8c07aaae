package dev.tollgate.web.view;

/**
 * A row of the rule hits table.
 *
 * @param ruleName  the rule
 * @param hits      its decisions in the window
 * @param blocked   of those, the blocked ones
 * @param eventsUrl its events on the events page
 */
public record RuleRow(String ruleName, long hits, long blocked, String eventsUrl) {
}
