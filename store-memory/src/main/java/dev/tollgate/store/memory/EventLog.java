package dev.tollgate.store.memory;

import dev.tollgate.events.EventCursor;
import dev.tollgate.events.EventPage;
import dev.tollgate.events.EventQuery;
import dev.tollgate.events.Offender;
import dev.tollgate.events.OffenderDetail;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.events.RuleHits;
import dev.tollgate.events.TimeRange;
import dev.tollgate.events.TimeSeries;
import dev.tollgate.events.TrafficSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The data of the memory store, without its locking: raw events in per-minute buckets, with their
 * counts, and per-hour and per-day {@link Tally tallies} beside them (UTC hours and days), all kept up
 * to date on every append, eviction and deletion.
 *
 * <p>Counting over {@code [from, to)} adds up the coarsest pieces that fit: the raw events of the
 * partial minutes at the edges (found by binary search in those minutes), whole minutes up to the
 * nearest hours, whole hours up to the nearest days, and whole days. The per-key tables (blocked and
 * shadow-blocked events per key), the per-rule tables and the panels' facts (blocked per path and per user agent,
 * upstream classes and latencies) live in the hour and day tallies only; for them the partial hours at the edges are
 * read from their raw events ({@link #countSpan}). Either way the work grows with the length of the window in days
 * plus one day of hours and one hour of events, not with the number of events in the window. {@link #offenderDetail},
 * the offender timeline and {@link #events} do read raw events; the first two only those of the minutes whose key
 * filter ({@link Minute#mightHold}) says they may hold the key.
 *
 * <p>It estimates the heap it holds ({@link #bytes()}) as it goes, from {@link Footprint}: the minutes' columns,
 * the tallies and their entries, the shared texts, the remembered batch ids and the offender rankings kept between
 * calls ({@link OffenderRanking}). An append that takes it past either bound, events or bytes, drops the oldest events
 * until it is within both.
 *
 * <p>Not thread-safe: the store changes it under the write lock of a read-write lock, and queries it under the read
 * lock, side by side. Its queries only read it, but for what an offender ranking keeps for the next call: that is in
 * its {@link OffenderRanking}, which guards itself. {@link #rankingBytes()} may be called from any thread.
 */
final class EventLog {

    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;
    /** Earlier than any event (146 million years before 1970); window starts are clamped to it against overflow. */
    static final long EARLIEST = Long.MIN_VALUE / 2;

    private static final Comparator<RuleHits> RULE_ORDER =
            Comparator.comparingLong(RuleHits::hits).reversed().thenComparing(RuleHits::ruleName);
    private static final Comparator<OffenderDetail.PathCount> PATH_ORDER = Comparator.comparingLong(
                    OffenderDetail.PathCount::count)
            .reversed()
            .thenComparing(OffenderDetail.PathCount::path);

    /** Which refusals an offender ranking counts. */
    enum Ranking {
        /** Enforced blocks: {@code topOffenders}. */
        BLOCKED,
        /** Requests served although a shadow rule would have refused them: {@code topShadowOffenders}. */
        SHADOW_BLOCKED;

        /** Whether the ranking counts {@code event}. */
        boolean counts(StoredEvent event) {
            return event.outcome() == (this == BLOCKED ? StoredEvent.BLOCKED : StoredEvent.SHADOW_BLOCKED);
        }

        /** The tally's counts per key that the ranking adds up. */
        Map<String, long[]> byKey(Tally tally) {
            return this == BLOCKED ? tally.blockedByKey.counts : tally.shadowBlockedByKey.counts;
        }
    }

    private final long maxEvents;
    private final long maxBytes;
    private final NavigableMap<Long, Minute> minutes = new TreeMap<>();
    private final NavigableMap<Long, Tally> hours = new TreeMap<>();
    private final NavigableMap<Long, Tally> days = new TreeMap<>();
    /** Counts every change to an hour's tally; the tally keeps the count of its latest change as its version. */
    private long changes;

    private final SharedStrings strings = new SharedStrings();
    private final BatchIds batchIds;
    private final OffenderRanking offenderRanking;
    /** The estimated bytes of the minutes and the tallies. */
    private long eventBytes;
    /** The times of the oldest and newest events removed since the kept rankings were last told. */
    private long removedFrom = Long.MAX_VALUE;

    private long removedTo = Long.MIN_VALUE;
    private long size;
    private long dropped;
    private long nextSequence;

    EventLog(MemoryStoreOptions options) {
        this.maxEvents = options.maxEvents();
        this.maxBytes = options.maxBytes();
        this.batchIds = new BatchIds(options.maxBatchIds());
        this.offenderRanking = new OffenderRanking(this, maxBytes);
    }

    long size() {
        return size;
    }

    long dropped() {
        return dropped;
    }

    int distinctTexts() {
        return strings.size();
    }

    /**
     * Adds {@code events} and remembers {@code id}, unless the id is remembered already: then it changes nothing and
     * answers false. Drops the oldest events beyond the bounds, as {@link #append} does.
     */
    boolean appendBatch(String id, long storedMillis, List<RateLimitEvent> events) {
        if (batchIds.contains(id)) {
            return false;
        }
        if (events.isEmpty()) {
            batchIds.addEmpty(id, storedMillis);
            return true;
        }
        int newest = 0;
        for (int i = 1; i < events.size(); i++) {
            // at equal times the later event has the higher sequence, so it is the newer one
            if (!events.get(i).timestamp().isBefore(events.get(newest).timestamp())) {
                newest = i;
            }
        }
        batchIds.add(id, storedMillis, events.get(newest).timestamp().toEpochMilli(), nextSequence + newest);
        append(events);
        return true;
    }

    /** Forgets the ids of empty batches stored before {@code cutoff}; the others go with their events. */
    void forgetEmptyBatchesStoredBefore(long cutoff) {
        batchIds.forgetEmptyStoredBefore(cutoff);
    }

    int batchIds() {
        return batchIds.size();
    }

    /**
     * The estimated heap the log holds: the minutes (their columns at capacity), the hour and day tallies, the shared
     * texts, the remembered batch ids, and the settled offender rankings it keeps. Not counted: the maps' own
     * objects, a few hundred bytes in all.
     */
    long bytes() {
        return storedBytes() + offenderRanking.bytes();
    }

    /** The part of {@link #bytes()} that the kept offender rankings do not take: that of the events, as it were. */
    long storedBytes() {
        return eventBytes + strings.bytes() + batchIds.bytes();
    }

    /** The part of {@link #bytes()} that the kept offender rankings take; thread-safe. */
    long rankingBytes() {
        return offenderRanking.bytes();
    }

    /**
     * Adds {@code events}, then drops the oldest events until the log is within its bounds on events and bytes;
     * answers how many it dropped.
     */
    long append(List<RateLimitEvent> events) {
        // a batch's events nearly always share their minute, hour and day: each is looked up when it changes
        Minute minute = null;
        Tally hour = null;
        Tally day = null;
        long hourStart = 0;
        long dayStart = 0;
        for (RateLimitEvent event : events) {
            StoredEvent stored = new StoredEvent(event, nextSequence++, strings);
            long minuteStart = floor(stored.millis, MINUTE);
            if (minute == null || minute.start != minuteStart) {
                minute = minutes.get(minuteStart);
                if (minute == null) {
                    minute = new Minute(minuteStart, strings);
                    minutes.put(minute.start, minute);
                    eventBytes += minute.bytes();
                }
            }
            long before = minute.bytes();
            minute.add(stored);
            eventBytes += minute.bytes() - before;
            long hourAt = floor(stored.millis, HOUR);
            if (hour == null || hourStart != hourAt) {
                hourStart = hourAt;
                hour = tally(hours, hourAt);
            }
            eventBytes += hour.add(stored);
            hour.version = ++changes;
            long dayAt = floor(stored.millis, DAY);
            if (day == null || dayStart != dayAt) {
                dayStart = dayAt;
                day = tally(days, dayAt);
            }
            eventBytes += day.add(stored);
            size++;
        }
        long drop = 0;
        for (; size > maxEvents; drop++) {
            removeOldest();
        }
        if (drop > 0) {
            forgetGoneBatches();
            forgetChangedRankings();
        }
        // what the dropped events leave behind goes at once, so that it is not paid for with more events
        for (; size > 0 && bytes() > maxBytes; drop++) {
            removeOldest();
            forgetGoneBatches();
            forgetChangedRankings();
        }
        dropped += drop;
        return drop;
    }

    /** The tally of {@code tallies} that starts at {@code start}, made (and its bytes counted) when there is none. */
    private Tally tally(NavigableMap<Long, Tally> tallies, long start) {
        Tally tally = tallies.get(start);
        if (tally == null) {
            tally = new Tally();
            tallies.put(start, tally);
            eventBytes += Tally.EMPTY_BYTES;
        }
        return tally;
    }

    /** Removes at most {@code max} of the events stamped before {@code cutoff}, oldest first. */
    int removeBefore(long cutoff, int max) {
        int removed = 0;
        while (removed < max
                && !minutes.isEmpty()
                && minutes.firstEntry().getValue().first().millis < cutoff) {
            removeOldest();
            removed++;
        }
        if (removed > 0) {
            forgetGoneBatches();
            forgetChangedRankings();
        }
        return removed;
    }

    void clear() {
        minutes.clear();
        hours.clear();
        days.clear();
        strings.clear();
        batchIds.clear();
        offenderRanking.clear();
        eventBytes = 0;
        size = 0;
    }

    /** Tells the offender ranking of the events removed since it was last told. */
    private void forgetChangedRankings() {
        if (removedFrom <= removedTo) {
            offenderRanking.forget(removedFrom, removedTo);
        }
        removedFrom = Long.MAX_VALUE;
        removedTo = Long.MIN_VALUE;
    }

    /** Forgets the batch ids none of whose events is held any more. */
    private void forgetGoneBatches() {
        if (!batchIds.holdEvents()) {
            return;
        }
        if (minutes.isEmpty()) {
            batchIds.forgetAllWithEvents();
        } else {
            StoredEvent oldest = minutes.firstEntry().getValue().first();
            batchIds.forgetOlderThan(oldest.millis, oldest.sequence);
        }
    }

    TrafficSummary summary(int days, long from) {
        long[] counts = new long[3];
        count(from, Long.MAX_VALUE, counts);
        return TrafficSummary.of(
                days, counts[StoredEvent.ALLOWED], counts[StoredEvent.BLOCKED], counts[StoredEvent.SHADOW_BLOCKED]);
    }

    /**
     * The top offenders of {@code ranking} in the window of {@code length} milliseconds from {@code from}, as
     * {@link OffenderRanking#top} ranks them.
     */
    List<Offender> topOffenders(Ranking ranking, long now, long from, long length, int limit) {
        return offenderRanking.top(ranking, now, from, length, limit);
    }

    /** The hour tallies, by the start of their hour; for the offender ranking to read. */
    NavigableMap<Long, Tally> hours() {
        return hours;
    }

    /**
     * Hands the count of every key over {@code [from, to)} that {@code ranking} counts to {@code visitor}, perhaps
     * several times for one key: whole days and hours from their tallies, the partial hours at the edges from the
     * raw events.
     */
    void forEachRefused(Ranking ranking, long from, long to, BiConsumer<String, Long> visitor) {
        long firstHour = ceil(from, HOUR);
        long endHour = to == Long.MAX_VALUE ? to : floor(to, HOUR);
        if (firstHour >= endHour) {
            forEachRawRefused(ranking, from, to, visitor);
            return;
        }
        forEachRawRefused(ranking, from, firstHour, visitor);
        forEachTally(
                firstHour,
                endHour,
                tally -> ranking.byKey(tally).forEach((key, count) -> visitor.accept(key, count[0])));
        if (endHour != Long.MAX_VALUE) {
            forEachRawRefused(ranking, endHour, to, visitor);
        }
    }

    /**
     * Hands the tallies of the whole hours {@code [firstHour, endHour)} ({@code endHour} may be {@link Long#MAX_VALUE})
     * to {@code visitor}: whole days from the day tallies, the hours at either end from the hour tallies.
     */
    private void forEachTally(long firstHour, long endHour, Consumer<Tally> visitor) {
        long firstDay = ceil(firstHour, DAY);
        long endDay = endHour == Long.MAX_VALUE ? endHour : floor(endHour, DAY);
        if (firstDay < endDay) {
            hours.subMap(firstHour, true, firstDay, false).values().forEach(visitor);
            days.subMap(firstDay, true, endDay, false).values().forEach(visitor);
            hours.subMap(endDay, true, endHour, false).values().forEach(visitor);
        } else {
            hours.subMap(firstHour, true, endHour, false).values().forEach(visitor);
        }
    }

    /**
     * Counts the events with {@code from <= millis < to} ({@code to} may be {@link Long#MAX_VALUE}) into
     * {@code counter}, reading as few events as it can: whole days and hours from their tallies, and each partial hour
     * at the edges from the events of its minutes — the part in the span when it is at most half the hour, else the
     * hour's tally less the part outside the span. So at most an hour of events is read, whatever the span's length.
     */
    void countSpan(long from, long to, SpanCounter counter) {
        long start = Math.max(from, EARLIEST);
        if (start >= to) {
            return;
        }
        long firstHour = ceil(start, HOUR);
        long endHour = to == Long.MAX_VALUE ? to : floor(to, HOUR);
        if (firstHour > endHour) {
            countWithinHour(start, to, counter);
            return;
        }
        countWithinHour(start, firstHour, counter);
        forEachTally(firstHour, endHour, tally -> counter.tally(tally, 1));
        if (endHour != Long.MAX_VALUE) {
            countWithinHour(endHour, to, counter);
        }
    }

    /** Counts {@code [from, to)}, which lies within one hour, into {@code counter}; see {@link #countSpan}. */
    private void countWithinHour(long from, long to, SpanCounter counter) {
        if (from >= to) {
            return;
        }
        if (to - from <= HOUR / 2) {
            countEvents(from, to, 1, counter);
            return;
        }
        long hour = floor(from, HOUR);
        Tally tally = hours.get(hour);
        if (tally != null) {
            counter.tally(tally, 1);
            countEvents(hour, from, -1, counter);
            countEvents(to, hour + HOUR, -1, counter);
        }
    }

    private void countEvents(long from, long to, int sign, SpanCounter counter) {
        if (from < to) {
            for (Minute minute :
                    minutes.subMap(floor(from, MINUTE), true, to, false).values()) {
                counter.events(minute, from, to, sign);
            }
        }
    }

    /**
     * Counts a span of time into some figures, from a tally or from a minute's events, each added ({@code sign} 1) or
     * taken away (-1).
     */
    interface SpanCounter {

        /** Counts the tally's events. */
        void tally(Tally tally, int sign);

        /** Counts the minute's events with {@code from <= millis < to}. */
        void events(Minute minute, long from, long to, int sign);
    }

    private void forEachRawRefused(Ranking ranking, long from, long to, BiConsumer<String, Long> visitor) {
        if (from < to) {
            for (Minute minute :
                    minutes.subMap(floor(from, MINUTE), true, to, false).values()) {
                minute.forEachRefusedKey(ranking == Ranking.BLOCKED, from, to, key -> visitor.accept(key, 1L));
            }
        }
    }

    List<RuleHits> ruleHits(long from, int limit) {
        Map<String, long[]> rules = new HashMap<>();
        scanPartialHour(from, (ruleName, outcome) -> {
            if (!ruleName.isEmpty()) {
                long[] rule = rules.computeIfAbsent(ruleName, name -> new long[3]);
                rule[0]++;
                if (outcome != StoredEvent.ALLOWED) {
                    rule[outcome]++;
                }
            }
        });
        forEachWholeTally(from, tally -> merge(tally.byRule.counts, rules));
        List<RuleHits> hits = new ArrayList<>(rules.size());
        rules.forEach((name, counts) -> hits.add(
                new RuleHits(name, counts[0], counts[StoredEvent.BLOCKED], counts[StoredEvent.SHADOW_BLOCKED])));
        return top(hits, RULE_ORDER, limit);
    }

    TimeSeries timeSeries(Instant now, int days, int buckets) {
        return new TimeSeries(
                days, TimeSeries.bucketWidth(days, buckets), filled(TimeSeries.layout(now, days, buckets)));
    }

    TimeSeries timeSeries(Instant now, TimeRange range) {
        return TimeSeries.of(range, filled(TimeSeries.layout(now, range)));
    }

    /** {@code layout} with the counts of its buckets, the newest also holding the events stamped after it. */
    private List<TimeSeries.Bucket> filled(List<TimeSeries.Bucket> layout) {
        int buckets = layout.size();
        List<TimeSeries.Bucket> filled = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            TimeSeries.Bucket bucket = layout.get(i);
            long end = i == buckets - 1 ? Long.MAX_VALUE : bucket.end().toEpochMilli();
            long[] counts = new long[3];
            count(bucket.start().toEpochMilli(), end, counts);
            filled.add(bucket.withCounts(
                    counts[StoredEvent.ALLOWED], counts[StoredEvent.BLOCKED], counts[StoredEvent.SHADOW_BLOCKED]));
        }
        return filled;
    }

    OffenderDetail offenderDetail(String key, int days, long from, int recent) {
        // every stored key has an id: an unknown key has no events, a known one is found by its id in the key column,
        // and only its events are made
        int id = strings.find(key);
        if (id == SharedStrings.NONE) {
            return OffenderDetail.empty(key, days);
        }
        long[] counts = new long[3];
        long[] seen = {Long.MAX_VALUE, Long.MIN_VALUE};
        Map<String, long[]> blockedByPath = new HashMap<>();
        List<OffenderDetail.RecentEvent> latest = new ArrayList<>();
        long hash = Minute.keyHash(key);
        for (Minute minute :
                minutes.tailMap(floor(from, MINUTE), true).descendingMap().values()) {
            if (!minute.mightHold(hash)) {
                continue;
            }
            minute.forEachOfKeyNewestFirst(id, from, Long.MAX_VALUE, event -> {
                counts[event.outcome()]++;
                seen[0] = Math.min(seen[0], event.millis);
                seen[1] = Math.max(seen[1], event.millis);
                if (event.outcome() == StoredEvent.BLOCKED) {
                    blockedByPath.computeIfAbsent(event.path, path -> new long[1])[0]++;
                }
                if (latest.size() < recent) {
                    latest.add(OffenderDetail.RecentEvent.of(event.toEvent()));
                }
                return true;
            });
        }
        if (counts[0] + counts[1] + counts[2] == 0) {
            return OffenderDetail.empty(key, days);
        }
        List<OffenderDetail.PathCount> paths = new ArrayList<>(blockedByPath.size());
        blockedByPath.forEach((path, count) -> paths.add(new OffenderDetail.PathCount(path, count[0])));
        return OffenderDetail.of(
                key,
                days,
                counts[StoredEvent.ALLOWED],
                counts[StoredEvent.BLOCKED],
                counts[StoredEvent.SHADOW_BLOCKED],
                Optional.of(Instant.ofEpochMilli(seen[0])),
                Optional.of(Instant.ofEpochMilli(seen[1])),
                top(paths, PATH_ORDER, OffenderDetail.MAX_PATHS),
                latest);
    }

    EventPage events(EventQuery query) {
        long lower = query.from().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
        long upper = query.to().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
        Optional<EventCursor> cursor = query.cursor();
        if (cursor.isPresent()) {
            upper = Math.min(upper, cursor.get().timestamp().toEpochMilli() + 1);
        }
        int wanted = query.pageSize() + 1;
        List<StoredEvent> page = new ArrayList<>(Math.min(wanted, 64));
        forEachNewestFirst(lower, upper, event -> {
            if (cursor.map(c -> c.isPast(event.millis, event.sequence)).orElse(true)
                    && query.matches(
                            event.key, event.ruleName, event.path, event.allowed, event.shadow, event.millis)) {
                page.add(event);
            }
            return page.size() < wanted;
        });
        Optional<String> next = Optional.empty();
        if (page.size() == wanted) {
            page.remove(wanted - 1);
            StoredEvent last = page.get(page.size() - 1);
            next = Optional.of(new EventCursor(Instant.ofEpochMilli(last.millis), last.sequence).encode());
        }
        return new EventPage(page.stream().map(StoredEvent::toEvent).toList(), next);
    }

    /**
     * Hands every minute that may hold events of {@code key} with {@code millis >= from} to
     * {@code visitor}, with the first millisecond to count in it, oldest minute first: those whose key filter
     * ({@link Minute#mightHold}) says they may hold it.
     */
    void forEachMinuteOfKey(long windowStart, String key, BiConsumer<Minute, Long> visitor) {
        long from = Math.max(windowStart, EARLIEST);
        long hash = Minute.keyHash(key);
        for (Minute minute : minutes.tailMap(floor(from, MINUTE), true).values()) {
            if (minute.mightHold(hash)) {
                visitor.accept(minute, from);
            }
        }
    }

    /** The id of {@code text} in the minutes' columns, or {@link SharedStrings#NONE} when no stored event holds it. */
    int textId(String text) {
        return strings.find(text);
    }

    // ---- the parts of a window -------------------------------------------------------------------

    /** Adds the events with {@code from <= millis < to} to {@code counts}, by {@link StoredEvent#outcome()}. */
    private void count(long windowStart, long to, long[] counts) {
        long from = Math.max(windowStart, EARLIEST);
        if (from >= to) {
            return;
        }
        long firstWholeMinute = ceil(from, MINUTE);
        long endOfWholeMinutes = floor(to, MINUTE);
        if (firstWholeMinute >= endOfWholeMinutes) {
            countRaw(from, to, counts);
            return;
        }
        countRaw(from, firstWholeMinute, counts);
        countRaw(endOfWholeMinutes, to, counts);
        long firstWholeHour = ceil(firstWholeMinute, HOUR);
        long endOfWholeHours = floor(endOfWholeMinutes, HOUR);
        if (firstWholeHour >= endOfWholeHours) {
            countMinutes(firstWholeMinute, endOfWholeMinutes, counts);
            return;
        }
        countMinutes(firstWholeMinute, firstWholeHour, counts);
        countMinutes(endOfWholeHours, endOfWholeMinutes, counts);
        long firstWholeDay = ceil(firstWholeHour, DAY);
        long endOfWholeDays = floor(endOfWholeHours, DAY);
        if (firstWholeDay >= endOfWholeDays) {
            countTallies(hours, firstWholeHour, endOfWholeHours, counts);
            return;
        }
        countTallies(hours, firstWholeHour, firstWholeDay, counts);
        countTallies(hours, endOfWholeDays, endOfWholeHours, counts);
        countTallies(days, firstWholeDay, endOfWholeDays, counts);
    }

    private void countRaw(long from, long to, long[] counts) {
        if (from < to) {
            for (Minute minute :
                    minutes.subMap(floor(from, MINUTE), true, to, false).values()) {
                minute.countBetween(from, to, counts);
            }
        }
    }

    private void countMinutes(long from, long to, long[] counts) {
        if (from < to) {
            for (Minute minute : minutes.subMap(from, true, to, false).values()) {
                counts[StoredEvent.ALLOWED] += minute.allowed;
                counts[StoredEvent.BLOCKED] += minute.blocked;
                counts[StoredEvent.SHADOW_BLOCKED] += minute.shadowBlocked;
            }
        }
    }

    private static void countTallies(NavigableMap<Long, Tally> tallies, long from, long to, long[] counts) {
        if (from < to) {
            for (Tally tally : tallies.subMap(from, true, to, false).values()) {
                counts[StoredEvent.ALLOWED] += tally.allowed;
                counts[StoredEvent.BLOCKED] += tally.blocked;
                counts[StoredEvent.SHADOW_BLOCKED] += tally.shadowBlocked;
            }
        }
    }

    /**
     * Hands the rule and outcome of every event with {@code from <= millis} that lies before the first whole hour to
     * {@code visitor}.
     */
    private void scanPartialHour(long windowStart, Minute.RuleVisitor visitor) {
        long from = Math.max(windowStart, EARLIEST);
        long firstWholeHour = ceil(from, HOUR);
        if (from < firstWholeHour) {
            for (Minute minute : minutes.subMap(floor(from, MINUTE), true, firstWholeHour, false)
                    .values()) {
                minute.forEachRuleFrom(from, visitor);
            }
        }
    }

    /** Hands the tallies of {@code [windowStart, ∞)} but its partial hour to {@code visitor}: hours, then days. */
    private void forEachWholeTally(long windowStart, Consumer<Tally> visitor) {
        long firstWholeHour = ceil(Math.max(windowStart, EARLIEST), HOUR);
        long firstWholeDay = ceil(firstWholeHour, DAY);
        hours.subMap(firstWholeHour, true, firstWholeDay, false).values().forEach(visitor);
        days.tailMap(firstWholeDay, true).values().forEach(visitor);
    }

    /** Hands the events with {@code from <= millis < to} to {@code visitor}, newest first, until it says stop. */
    private void forEachNewestFirst(long from, long to, Minute.EventVisitor visitor) {
        for (Minute minute : minutes.headMap(to, false).descendingMap().values()) {
            if (minute.start + MINUTE <= from || !minute.forEachNewestFirst(from, to, visitor)) {
                return;
            }
        }
    }

    private void removeOldest() {
        Minute minute = minutes.firstEntry().getValue();
        long before = minute.bytes();
        StoredEvent event = minute.removeFirst();
        removedFrom = Math.min(removedFrom, event.millis);
        removedTo = Math.max(removedTo, event.millis);
        if (minute.isEmpty()) {
            minutes.pollFirstEntry();
            eventBytes -= before;
        } else {
            eventBytes += minute.bytes() - before;
        }
        untally(hours, floor(event.millis, HOUR), event).version = ++changes;
        untally(days, floor(event.millis, DAY), event);
        event.release(strings);
        size--;
    }

    private Tally untally(NavigableMap<Long, Tally> tallies, long start, StoredEvent event) {
        Tally tally = tallies.get(start);
        eventBytes -= tally.remove(event);
        if (tally.isEmpty()) {
            tallies.remove(start);
            eventBytes -= tally.bytes();
        }
        return tally;
    }

    /** Adds the counts of {@code from} to those of {@code into}, array by array. */
    static void merge(Map<String, long[]> from, Map<String, long[]> into) {
        for (Map.Entry<String, long[]> entry : from.entrySet()) {
            long[] counts = entry.getValue();
            long[] total = into.get(entry.getKey());
            if (total == null) {
                into.put(entry.getKey(), counts.clone());
                continue;
            }
            for (int i = 0; i < counts.length; i++) {
                total[i] += counts[i];
            }
        }
    }

    /** The first {@code limit} of {@code items} in {@code order}, without sorting all of them. */
    private static <T> List<T> top(Collection<T> items, Comparator<T> order, int limit) {
        PriorityQueue<T> best = new PriorityQueue<>(Math.min(limit, Math.max(1, items.size())) + 1, order.reversed());
        for (T item : items) {
            best.add(item);
            if (best.size() > limit) {
                best.poll();
            }
        }
        List<T> sorted = new ArrayList<>(best);
        sorted.sort(order);
        return sorted;
    }

    static long floor(long millis, long unit) {
        return Math.floorDiv(millis, unit) * unit;
    }

    static long ceil(long millis, long unit) {
        return -Math.floorDiv(-millis, unit) * unit;
    }
}
