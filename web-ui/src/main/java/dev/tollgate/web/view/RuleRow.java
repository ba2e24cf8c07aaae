package dev.tollgate.web.view;

/**
 * A row of the rule hits table.
 *
 * @param ruleName      the rule
 * @param kind          the kind of the rule in force of that name, {@code quota} or {@code concurrency}; empty for a
 *                      rate rule or a rule no longer in force
 * @param hits          its decisions in the window
 * @param blocked       of those, the blocked ones
 * @param shadowBlocked of those, the ones it would have refused as a shadow rule (they were served)
 * @param eventsUrl     its events on the events page
 */
public record RuleRow(String ruleName, String kind, long hits, long blocked, long shadowBlocked, String eventsUrl) {}
