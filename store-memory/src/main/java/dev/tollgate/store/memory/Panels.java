package dev.tollgate.store.memory;

import dev.tollgate.events.BlockedByRule;
import dev.tollgate.events.BlockedCount;
import dev.tollgate.events.LatencyHistogram;
import dev.tollgate.events.OffenderTimeline;
import dev.tollgate.events.TimeRange;
import dev.tollgate.events.TimeSeries;
import dev.tollgate.events.UpstreamStats;
import dev.tollgate.events.spi.PanelRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The dashboard's panel queries over the memory store's {@link EventLog}: each reads the columns of the minutes of
 * its range once, without making an object per event, counting into small maps (the texts are the log's shared
 * copies). Called under the store's read lock.
 */
final class Panels {

    private Panels() {}

    static List<BlockedCount> topBlockedPaths(EventLog log, TimeRange range, Instant now, int limit) {
        Map<String, long[]> counts = new HashMap<>();
        log.forEachMinuteFrom(
                range.start(now).toEpochMilli(), (minute, from) -> minute.countBlocked(from, false, counts));
        return top(counts, limit);
    }

    static List<BlockedCount> topBlockedUserAgents(EventLog log, TimeRange range, Instant now, int limit) {
        Map<String, long[]> counts = new HashMap<>();
        log.forEachMinuteFrom(
                range.start(now).toEpochMilli(), (minute, from) -> minute.countBlocked(from, true, counts));
        return top(counts, limit);
    }

    static UpstreamStats upstreamStats(EventLog log, TimeRange range, Instant now) {
        long[] classes = new long[5];
        long[] histogram = new long[LatencyHistogram.BUCKETS];
        log.forEachMinuteFrom(
                range.start(now).toEpochMilli(), (minute, from) -> minute.countUpstream(from, classes, histogram));
        return UpstreamStats.of(range, classes, histogram);
    }

    static BlockedByRule blockedByRule(EventLog log, TimeRange range, Instant now, int maxRules) {
        long start = range.start(now).toEpochMilli();
        Map<String, long[]> byRule = new HashMap<>();
        long width = range.bucket().toMillis();
        int last = range.buckets() - 1;
        log.forEachMinuteFrom(start, (minute, from) -> minute.countBlockedByRule(from, start, width, last, byRule));
        return BlockedByRule.of(range, PanelRules.layout(range, now), byRule, maxRules);
    }

    static OffenderTimeline offenderTimeline(EventLog log, String key, TimeRange range, Instant now, int userAgents) {
        long start = range.start(now).toEpochMilli();
        List<TimeSeries.Bucket> layout = PanelRules.layout(range, now);
        long[][] counts = new long[layout.size()][3];
        Map<String, long[]> agents = new HashMap<>();
        String shared = log.sharedText(key);
        if (shared != null) {
            long width = range.bucket().toMillis();
            log.forEachMinuteFrom(start, (minute, from) -> minute.countKey(from, shared, start, width, counts, agents));
        }
        List<TimeSeries.Bucket> filled = new ArrayList<>(layout.size());
        for (int i = 0; i < layout.size(); i++) {
            filled.add(layout.get(i)
                    .withCounts(
                            counts[i][StoredEvent.ALLOWED],
                            counts[i][StoredEvent.BLOCKED],
                            counts[i][StoredEvent.SHADOW_BLOCKED]));
        }
        return new OffenderTimeline(key, range, filled, top(agents, userAgents));
    }

    /** The first {@code limit} of {@code counts} in {@link BlockedCount#ORDER}, without sorting all of them. */
    static List<BlockedCount> top(Map<String, long[]> counts, int limit) {
        PriorityQueue<BlockedCount> best = new PriorityQueue<>(limit + 1, BlockedCount.ORDER.reversed());
        counts.forEach((value, count) -> {
            best.add(new BlockedCount(value, count[0]));
            if (best.size() > limit) {
                best.poll();
            }
        });
        List<BlockedCount> sorted = new ArrayList<>(best);
        sorted.sort(BlockedCount.ORDER);
        return sorted;
    }
}
