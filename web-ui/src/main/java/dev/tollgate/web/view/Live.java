package dev.tollgate.web.view;

/**
 * The live counters, from one {@code tollgate.stats} message.
 *
 * @param secondRequests requests in the last second
 * @param secondBlocked  of those, blocked
 * @param minuteRequests requests in the last minute
 * @param minuteAllowed  of those, allowed
 * @param minuteBlocked  of those, blocked
 * @param dropped        events this node could not record
 * @param at             the second the counters end at, as UTC time ({@code 12:00:05}), empty before the first message
 */
public record Live(
        long secondRequests,
        long secondBlocked,
        long minuteRequests,
        long minuteAllowed,
        long minuteBlocked,
        long dropped,
        String at) {}
