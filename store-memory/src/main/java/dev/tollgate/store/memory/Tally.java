package dev.tollgate.store.memory;

import dev.tollgate.events.LatencyHistogram;
import java.util.HashMap;
import java.util.Map;

/**
 * What the dashboard needs of one hour or one day, kept up to date as events come and go: allowed, blocked and
 * shadow-blocked counts, blocked and shadow-blocked events per key, hits, blocked and shadow-blocked events per
 * named rule, and the facts of the panels: blocked events per path and per user agent, and the upstream's status
 * classes and latency histogram of the served events that have one. Not thread-safe.
 */
final class Tally {

    /**
     * A tally without entries, with its place in the map of hours or days: the tally itself (four numbers, five count
     * maps and the upstream's arrays), its five count maps, the map entry and its boxed key.
     */
    static final long EMPTY_BYTES = Footprint.object(4 * 8 + 7 * Footprint.REFERENCE)
            + 5 * CountMap.EMPTY_BYTES
            + Footprint.TREE_ENTRY
            + Footprint.LONG_BOX;

    /** The upstream's status classes and latency histogram, made with the first event that has an upstream status. */
    private static final long UPSTREAM_BYTES = Footprint.array(5, 8) + Footprint.array(LatencyHistogram.BUCKETS, 8);

    long allowed;
    long blocked;
    long shadowBlocked;
    /** The event log's change count at this tally's latest change (hour tallies only). */
    long version;
    /** Key → blocked events; only keys with at least one. */
    final CountMap blockedByKey = new CountMap(1);
    /** Key → shadow-blocked events; only keys with at least one. */
    final CountMap shadowBlockedByKey = new CountMap(1);
    /** Rule name → {hits, blocked, shadow-blocked}; only named rules with at least one hit. */
    final CountMap byRule = new CountMap(3);
    /** Path → blocked events; only paths with at least one. */
    final CountMap blockedByPath = new CountMap(1);
    /** User agent → blocked events; only user agents with at least one (events without one are not counted). */
    final CountMap blockedByUserAgent = new CountMap(1);
    /** Served events with an upstream status per class (1xx..5xx), or null before the first. */
    long[] upstreamClasses;
    /** Of those with a latency, per {@link LatencyHistogram} bucket, or null before the first. */
    long[] upstreamLatencies;

    /** Counts {@code event} in; answers by how many bytes the estimate of {@link #bytes()} grew. */
    long add(StoredEvent event) {
        return count(event, 1);
    }

    /** Counts {@code event} out; answers by how many bytes the estimate of {@link #bytes()} shrank. */
    long remove(StoredEvent event) {
        return -count(event, -1);
    }

    /** Adds {@code delta} (1 or -1) of {@code event}; answers by how many bytes {@link #bytes()} changed. */
    private long count(StoredEvent event, int delta) {
        long grown = 0;
        switch (event.outcome()) {
            case StoredEvent.BLOCKED -> {
                blocked += delta;
                grown += blockedByKey.add(event.key, 0, delta);
                grown += blockedByPath.add(event.path, 0, delta);
                if (event.userAgent != null) {
                    grown += blockedByUserAgent.add(event.userAgent, 0, delta);
                }
            }
            case StoredEvent.SHADOW_BLOCKED -> {
                shadowBlocked += delta;
                grown += shadowBlockedByKey.add(event.key, 0, delta);
            }
            default -> allowed += delta;
        }
        if (!event.ruleName.isEmpty()) {
            // the outcome's count first: the entry goes when its hits (the first number) reach 0
            if (event.outcome() != StoredEvent.ALLOWED) {
                grown += byRule.add(event.ruleName, event.outcome(), delta);
            }
            grown += byRule.add(event.ruleName, 0, delta);
        }
        if (event.outcome() != StoredEvent.BLOCKED && event.upstreamStatus != 0) {
            if (upstreamClasses == null) {
                upstreamClasses = new long[5];
                upstreamLatencies = new long[LatencyHistogram.BUCKETS];
                grown += UPSTREAM_BYTES;
            }
            upstreamClasses[event.upstreamStatus / 100 - 1] += delta;
            if (event.upstreamLatencyMicros >= 0) {
                upstreamLatencies[LatencyHistogram.bucket(event.upstreamLatencyMicros)] += delta;
            }
        }
        return grown;
    }

    boolean isEmpty() {
        return allowed == 0 && blocked == 0 && shadowBlocked == 0;
    }

    /** Blocked events that name no rule (a deny list's): all blocked events but those of the named rules. */
    long blockedWithoutRule() {
        long named = 0;
        for (long[] counts : byRule.counts.values()) {
            named += counts[StoredEvent.BLOCKED];
        }
        return blocked - named;
    }

    /**
     * The estimated heap of this tally and its place in its map: {@link #EMPTY_BYTES}, the entries and tables of its
     * count maps, and the upstream's arrays once made (the texts are the store's shared ones).
     */
    long bytes() {
        return EMPTY_BYTES
                + blockedByKey.bytes()
                + shadowBlockedByKey.bytes()
                + byRule.bytes()
                + blockedByPath.bytes()
                + blockedByUserAgent.bytes()
                + (upstreamClasses == null ? 0 : UPSTREAM_BYTES);
    }

    /**
     * Counts per text, each an array of {@code width} numbers, holding only the texts whose first number is not 0,
     * with the estimate of its heap: an entry per text and the table at its largest (which never shrinks).
     */
    static final class CountMap {

        /** The map and its holder, without entries or table. */
        static final long EMPTY_BYTES = Footprint.HASH_MAP + Footprint.object(2 * 4 + 8 + Footprint.REFERENCE);

        final Map<String, long[]> counts = new HashMap<>();
        private final int width;
        private final long entryBytes;
        private int peak;
        private long table;

        CountMap(int width) {
            this.width = width;
            this.entryBytes = Footprint.HASH_NODE + Footprint.array(width, 8);
        }

        /**
         * Adds {@code delta} to number {@code index} of {@code text}'s counts, making or dropping its entry as its
         * first number leaves or reaches 0; answers by how many bytes {@link #bytes()} changed.
         */
        long add(String text, int index, int delta) {
            long[] count = counts.get(text);
            if (count == null) {
                count = new long[width];
                counts.put(text, count);
                count[index] += delta;
                long grown = entryBytes;
                if (counts.size() > peak) {
                    peak = counts.size();
                    long grownTable = Footprint.hashTable(peak);
                    grown += grownTable - table;
                    table = grownTable;
                }
                return grown;
            }
            count[index] += delta;
            if (count[0] == 0) {
                counts.remove(text);
                return -entryBytes;
            }
            return 0;
        }

        long bytes() {
            return counts.size() * entryBytes + table;
        }
    }
}
