package dev.tollgate.store.memory;

import dev.tollgate.events.Offender;
import dev.tollgate.events.spi.OffenderCounts;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The top offenders of a window, with the counts of its settled part kept between calls: of blocked events, or of
 * shadow-blocked events, as the {@link EventLog.Ranking} asked for counts them.
 *
 * <p>A window {@code [from, now]} has a settled part, {@code [from, sealed)} with {@code sealed} the start of the
 * hour that holds {@code now} less {@link #SETTLE}, and a fresh part, the hour tallies from {@code sealed} on (events
 * stamped in the future included). The counts per key of the settled part are kept with the versions its hours'
 * tallies had. A call checks the versions, moves the counts on by the events that have left the window and the hours
 * that have settled since, and ranks them together with the fresh part. When an hour's version differs (a late event,
 * an eviction or a deletion), the settled part is counted again.
 *
 * <p>Settled parts are kept for the last {@link #WINDOWS} window lengths of each ranking, each only while it holds at
 * most {@link #MAX_KEYS} keys, all of them together take at most {@link #SHARE a quarter} of {@code maxBytes}, and the
 * whole estimate of the log stays within {@code maxBytes}; a window that cannot be kept is answered the same way but
 * counted afresh on every call. The log counts the kept parts' {@link #bytes()} in its own.
 *
 * <p>Thread-safe: the store ranks under its read lock, so rankings run side by side, and this object's monitor guards
 * the kept parts; {@link #bytes()} may be read by any thread. The log must not change meanwhile: {@link #top} runs
 * under the store's read lock, {@link #forget} and {@link #clear} under its write lock.
 */
final class OffenderRanking {

    /** How long after its end an hour is taken as settled: events stamped in it after that are late. */
    static final long SETTLE = EventLog.MINUTE;
    /**
     * How many window lengths each ranking, enforced and shadow, keeps the settled part of: the dashboard's six
     * ranges and a few lengths in days.
     */
    static final int WINDOWS = 10;
    /** The most keys a kept settled part holds. */
    static final int MAX_KEYS = 250_000;
    /** The kept settled parts together take at most {@code maxBytes / SHARE}. */
    static final int SHARE = 4;

    private final EventLog log;
    private final long maxBytes;
    /** The kept settled parts, by ranking and window length, least recently asked for first; under this monitor. */
    private final Map<RankedWindow, Ranked> settled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RankedWindow, Ranked> eldest) {
            return size() > WINDOWS * EventLog.Ranking.values().length;
        }
    };
    /** The bytes of the parts in {@link #settled}; written under this monitor, read by any thread. */
    private volatile long bytes;

    /** Ranks the offenders of {@code log}, keeping what it can within {@code maxBytes}, the log's bound. */
    OffenderRanking(EventLog log, long maxBytes) {
        this.log = log;
        this.maxBytes = maxBytes;
    }

    /** The key of a kept settled part: which ranking, over a window of how many milliseconds. */
    private record RankedWindow(EventLog.Ranking ranking, long length) {}

    /** A kept settled part with its estimated bytes. */
    private record Ranked(Settled settled, long bytes) {}

    /**
     * The counts per key (blocked or shadow-blocked, as its ranking counts) of the events stamped in
     * {@code [from, sealed)}, valid while the hours from the one holding {@code from} up to {@code sealed} keep the
     * {@code versions} they had when counted.
     */
    private record Settled(long from, long sealed, Map<Long, Long> versions, OffenderCounts counts) {

        /** A key costs a map node and its count, a tree entry and its row; an hour its node and two boxed numbers. */
        private static final long PER_KEY = Footprint.HASH_NODE
                + Footprint.LONG_ARRAY_1
                + Footprint.TREE_ENTRY
                + Footprint.object(Footprint.REFERENCE + 8);

        private static final long PER_HOUR = Footprint.HASH_NODE + 2 * Footprint.LONG_BOX;

        /** The estimated heap of this part, but for its keys' texts, which are the events' shared ones. */
        long bytes() {
            return counts.size() * PER_KEY
                    + Footprint.hashTable(counts.size())
                    + versions.size() * PER_HOUR
                    + Footprint.hashTable(versions.size());
        }
    }

    /** The estimated bytes of the kept settled parts. */
    long bytes() {
        return bytes;
    }

    /**
     * The {@code limit} keys with the most events that {@code ranking} counts, stamped at or after {@code from}, over a
     * window of {@code length} milliseconds, {@code now} being now.
     */
    List<Offender> top(EventLog.Ranking ranking, long now, long from, long length, int limit) {
        long start = Math.max(from, EventLog.EARLIEST);
        long sealed = EventLog.floor(now - SETTLE, EventLog.HOUR);
        Map<String, long[]> fresh = new HashMap<>();
        if (sealed <= start) {
            log.forEachRefused(ranking, start, Long.MAX_VALUE, (key, count) -> add(fresh, key, count));
            return new OffenderCounts().top(fresh, limit);
        }
        log.hours().tailMap(sealed, true).values().forEach(tally -> EventLog.merge(ranking.byKey(tally), fresh));
        RankedWindow which = new RankedWindow(ranking, length);
        // the counts a call moves on are those of the kept part itself: one call at a time
        synchronized (this) {
            Ranked ranked = settled.get(which);
            Settled kept = ranked == null ? null : ranked.settled();
            Settled moved = kept != null
                            && kept.from() <= start
                            && start < kept.sealed()
                            && kept.sealed() <= sealed
                            && unchanged(kept)
                    ? moved(ranking, kept, start, sealed)
                    : null;
            Settled window = moved != null ? moved : counted(ranking, start, sealed);
            long others = bytes - (ranked == null ? 0 : ranked.bytes());
            long windowBytes = window.bytes();
            if (window.counts().size() <= MAX_KEYS
                    && others + windowBytes <= maxBytes / SHARE
                    && log.storedBytes() + others + windowBytes <= maxBytes) {
                settled.put(which, new Ranked(window, windowBytes));
            } else {
                settled.remove(which);
            }
            bytes = settled.values().stream().mapToLong(Ranked::bytes).sum();
            return window.counts().top(fresh, limit);
        }
    }

    /**
     * Forgets the kept parts over the hours that lost the events stamped from {@code removedFrom} to
     * {@code removedTo}: they no longer hold (their next call would count them again), and they may hold the only
     * references left to the texts of the keys of those events.
     */
    void forget(long removedFrom, long removedTo) {
        if (bytes == 0) {
            return;
        }
        long firstHour = EventLog.floor(removedFrom, EventLog.HOUR);
        long lastHour = EventLog.floor(removedTo, EventLog.HOUR);
        synchronized (this) {
            settled.values()
                    .removeIf(ranked -> EventLog.floor(ranked.settled().from(), EventLog.HOUR) <= lastHour
                            && firstHour < ranked.settled().sealed());
            bytes = settled.values().stream().mapToLong(Ranked::bytes).sum();
        }
    }

    /** Forgets every kept part. */
    synchronized void clear() {
        settled.clear();
        bytes = 0;
    }

    private boolean unchanged(Settled kept) {
        for (long hour = EventLog.floor(kept.from(), EventLog.HOUR); hour < kept.sealed(); hour += EventLog.HOUR) {
            Tally tally = log.hours().get(hour);
            if (!Objects.equals(
                    tally == null ? null : tally.version, kept.versions().get(hour))) {
                return false;
            }
        }
        return true;
    }

    /** {@code kept} moved on to {@code [from, sealed)}, or null if it does not hold what left the window. */
    private Settled moved(EventLog.Ranking ranking, Settled kept, long from, long sealed) {
        boolean[] holds = {true};
        log.forEachRefused(
                ranking,
                kept.from(),
                from,
                (key, count) -> holds[0] &= kept.counts().subtract(key, count));
        if (!holds[0]) {
            return null;
        }
        log.forEachRefused(ranking, kept.sealed(), sealed, kept.counts()::add);
        return new Settled(from, sealed, versions(from, sealed), kept.counts());
    }

    private Settled counted(EventLog.Ranking ranking, long from, long sealed) {
        Map<String, long[]> counts = new HashMap<>();
        log.forEachRefused(ranking, from, sealed, (key, count) -> add(counts, key, count));
        return new Settled(from, sealed, versions(from, sealed), new OffenderCounts(counts));
    }

    private Map<Long, Long> versions(long from, long sealed) {
        Map<Long, Long> versions = new HashMap<>();
        log.hours()
                .subMap(EventLog.floor(from, EventLog.HOUR), true, sealed, false)
                .forEach((hour, tally) -> versions.put(hour, tally.version));
        return versions;
    }

    private static void add(Map<String, long[]> counts, String key, long count) {
        counts.computeIfAbsent(key, absent -> new long[1])[0] += count;
    }
}
