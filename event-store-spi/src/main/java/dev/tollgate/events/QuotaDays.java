package dev.tollgate.events;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a store answered to an acquisition of a rolling quota ({@link EventStore#takeQuotaDays}).
 *
 * @param taken  whether the cost was added: the counts in the window plus the cost were at most the limit
 * @param counts the key's count per day in the window after the acquisition, or as they stood when it was refused:
 *     the start of each day with a count (epoch seconds) to the count, in the order of the days
 */
public record QuotaDays(boolean taken, SortedMap<Long, Long> counts) {

    public QuotaDays {
        counts = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(counts, "counts")));
        for (Map.Entry<Long, Long> day : counts.entrySet()) {
            if (day.getValue() < 0) {
                throw new IllegalArgumentException(
                        "a quota count is at least 0, got " + day.getValue() + " on the day " + day.getKey());
            }
        }
    }
}
