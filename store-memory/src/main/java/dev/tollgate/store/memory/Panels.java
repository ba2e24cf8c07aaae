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
 * The dashboard's panel queries over the memory store's {@link EventLog}: each counts its range
 * {@linkplain EventLog#countSpan span by span} — whole days and hours from the tallies' facts (blocked per path and per
 * user agent, upstream classes and latencies, blocked per rule), the partial hours at the edges from the columns of
 * their minutes, without making an object per event — into small maps (the texts are the log's shared copies). Called
 * under the store's read lock.
 */
final class Panels {

    private Panels() {}

    static List<BlockedCount> topBlockedPaths(EventLog log, TimeRange range, Instant now, int limit) {
        return topBlocked(log, range, now, false, limit);
    }

    static List<BlockedCount> topBlockedUserAgents(EventLog log, TimeRange range, Instant now, int limit) {
        return topBlocked(log, range, now, true, limit);
    }

    private static List<BlockedCount> topBlocked(
            EventLog log, TimeRange range, Instant now, boolean byUserAgent, int limit) {
        Map<String, long[]> counts = new HashMap<>();
        log.countSpan(range.start(now).toEpochMilli(), Long.MAX_VALUE, new EventLog.SpanCounter() {
            @Override
            public void tally(Tally tally, int sign) {
                add(byUserAgent ? tally.blockedByUserAgent.counts : tally.blockedByPath.counts, sign, counts);
            }

            @Override
            public void events(Minute minute, long from, long to, int sign) {
                minute.countBlocked(from, to, byUserAgent, sign, counts);
            }
        });
        return top(counts, limit);
    }

    static UpstreamStats upstreamStats(EventLog log, TimeRange range, Instant now) {
        long[] classes = new long[5];
        long[] histogram = new long[LatencyHistogram.BUCKETS];
        log.countSpan(range.start(now).toEpochMilli(), Long.MAX_VALUE, new EventLog.SpanCounter() {
            @Override
            public void tally(Tally tally, int sign) {
                if (tally.upstreamClasses != null) {
                    add(tally.upstreamClasses, sign, classes);
                    add(tally.upstreamLatencies, sign, histogram);
                }
            }

            @Override
            public void events(Minute minute, long from, long to, int sign) {
                minute.countUpstream(from, to, sign, classes, histogram);
            }
        });
        return UpstreamStats.of(range, classes, histogram);
    }

    static BlockedByRule blockedByRule(EventLog log, TimeRange range, Instant now, int maxRules) {
        List<TimeSeries.Bucket> layout = PanelRules.layout(range, now);
        int buckets = layout.size();
        Map<String, long[]> byRule = new HashMap<>();
        for (int i = 0; i < buckets; i++) {
            int bucket = i;
            // the newest bucket also takes the events stamped after now
            long end = i == buckets - 1 ? Long.MAX_VALUE : layout.get(i).end().toEpochMilli();
            log.countSpan(layout.get(i).start().toEpochMilli(), end, new EventLog.SpanCounter() {
                @Override
                public void tally(Tally tally, int sign) {
                    tally.byRule.counts.forEach(
                            (rule, counts) -> addTo(byRule, rule, buckets, bucket, sign * counts[StoredEvent.BLOCKED]));
                    addTo(byRule, "", buckets, bucket, sign * tally.blockedWithoutRule());
                }

                @Override
                public void events(Minute minute, long from, long to, int sign) {
                    minute.countBlockedByRule(from, to, bucket, buckets, sign, byRule);
                }
            });
        }
        return BlockedByRule.of(range, layout, byRule, maxRules);
    }

    private static void addTo(Map<String, long[]> series, String rule, int buckets, int bucket, long count) {
        if (count != 0) {
            series.computeIfAbsent(rule, name -> new long[buckets])[bucket] += count;
        }
    }

    /** Adds {@code sign} times each count of {@code from} to the same text's count in {@code into}. */
    private static void add(Map<String, long[]> from, int sign, Map<String, long[]> into) {
        from.forEach((text, count) -> into.computeIfAbsent(text, made -> new long[1])[0] += sign * count[0]);
    }

    private static void add(long[] from, int sign, long[] into) {
        for (int i = 0; i < from.length; i++) {
            into[i] += sign * from[i];
        }
    }

    static OffenderTimeline offenderTimeline(EventLog log, String key, TimeRange range, Instant now, int userAgents) {
        long start = range.start(now).toEpochMilli();
        List<TimeSeries.Bucket> layout = PanelRules.layout(range, now);
        long[][] counts = new long[layout.size()][3];
        Map<String, long[]> agents = new HashMap<>();
        int id = log.textId(key);
        if (id != SharedStrings.NONE) {
            long width = range.bucket().toMillis();
            log.forEachMinuteOfKey(
                    start, key, (minute, from) -> minute.countKey(from, id, start, width, counts, agents));
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
            if (count[0] <= 0) {
                // a text whose events were all outside the span: counted in by a tally, counted out by its events
                return;
            }
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
