package dev.tollgate.web.view;

/**
 * A row of the top offenders table.
 *
 * @param index        the row's position, from 0, for element ids
 * @param key          the client identity
 * @param blockedCount its blocked requests in the window
 * @param detailUrl    its drill-down fragment
 * @param eventsUrl    its events on the events page, for browsers without JavaScript
 */
public record OffenderRow(int index, String key, long blockedCount, String detailUrl, String eventsUrl) {}
