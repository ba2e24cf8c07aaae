package dev.tollgate.store.memory;

import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The ids of the batches that {@code appendBatch} stored, as far as the memory store remembers them: at most
 * {@code maxIds}, the oldest forgotten first, and each only while the store may still hold events of its batch.
 * The store removes events oldest first (by time, then sequence), so once the newest event of a batch is older
 * than the oldest event held, none of the batch is left, and its id goes. An empty batch holds no event; its id
 * goes with the bound, or when a deletion's cut-off passes the time it was stored. Not thread-safe.
 */
final class BatchIds {

    /** A remembered batch; {@code newestMillis} and {@code newestSequence} are those of its newest event. */
    private record Batch(String id, long storedMillis, boolean empty, long newestMillis, long newestSequence) {}

    /** A remembered batch beside its id's string: the record and its map node (and a tree node if it holds events). */
    private static final long PER_BATCH = Footprint.object(Footprint.REFERENCE + 3 * 8 + 1) + Footprint.LINKED_NODE;

    private static final Comparator<Batch> BY_NEWEST_EVENT =
            Comparator.comparingLong(Batch::newestMillis).thenComparingLong(Batch::newestSequence);

    private final int maxIds;
    /** Every remembered batch, the earliest stored first. */
    private final Map<String, Batch> byId = new LinkedHashMap<>();
    /** The batches that hold events, by their newest event; sequences are unique, so no two compare equal. */
    private final TreeSet<Batch> byNewestEvent = new TreeSet<>(BY_NEWEST_EVENT);

    private long peak;
    private long bytes;

    BatchIds(int maxIds) {
        if (maxIds < 1) {
            throw new IllegalArgumentException("maxBatchIds must be at least 1, got " + maxIds);
        }
        this.maxIds = maxIds;
    }

    boolean contains(String id) {
        return byId.containsKey(id);
    }

    int size() {
        return byId.size();
    }

    /** Whether any remembered batch holds events, so that removing events may make ids go. */
    boolean holdEvents() {
        return !byNewestEvent.isEmpty();
    }

    /** Remembers the id of an empty batch stored at {@code storedMillis}. */
    void addEmpty(String id, long storedMillis) {
        add(new Batch(id, storedMillis, true, 0, 0));
    }

    /** Remembers the id of a batch stored at {@code storedMillis} whose newest event is the one given. */
    void add(String id, long storedMillis, long newestMillis, long newestSequence) {
        add(new Batch(id, storedMillis, false, newestMillis, newestSequence));
    }

    private void add(Batch batch) {
        byId.put(batch.id(), batch);
        bytes += bytes(batch);
        if (!batch.empty()) {
            byNewestEvent.add(batch);
        }
        if (byId.size() > maxIds) {
            Iterator<Batch> eldest = byId.values().iterator();
            Batch forgotten = eldest.next();
            eldest.remove();
            forgotten(forgotten);
        }
        peak = Math.max(peak, byId.size());
    }

    /** Forgets the batches whose events are all older than the oldest event held, given by its time and sequence. */
    void forgetOlderThan(long oldestMillis, long oldestSequence) {
        Batch oldestHeld = new Batch("", 0, false, oldestMillis, oldestSequence);
        while (!byNewestEvent.isEmpty() && BY_NEWEST_EVENT.compare(byNewestEvent.first(), oldestHeld) < 0) {
            Batch gone = byNewestEvent.pollFirst();
            byId.remove(gone.id());
            bytes -= bytes(gone);
        }
    }

    /** Forgets every batch that held events: the store holds none any more. */
    void forgetAllWithEvents() {
        byNewestEvent.forEach(batch -> {
            byId.remove(batch.id());
            bytes -= bytes(batch);
        });
        byNewestEvent.clear();
    }

    /** Forgets the empty batches stored before {@code cutoff}. */
    void forgetEmptyStoredBefore(long cutoff) {
        byId.values().removeIf(batch -> {
            boolean gone = batch.empty() && batch.storedMillis() < cutoff;
            if (gone) {
                bytes -= bytes(batch);
            }
            return gone;
        });
    }

    /** The estimated heap of the remembered ids: their strings, records and nodes, the map's table at its largest. */
    long bytes() {
        return bytes + Footprint.hashTable(peak);
    }

    void clear() {
        byId.clear();
        byNewestEvent.clear();
        peak = 0;
        bytes = 0;
    }

    /** Takes a batch that has left {@link #byId} out of the rest. */
    private void forgotten(Batch batch) {
        bytes -= bytes(batch);
        if (!batch.empty()) {
            byNewestEvent.remove(batch);
        }
    }

    private static long bytes(Batch batch) {
        return PER_BATCH + Footprint.string(batch.id()) + (batch.empty() ? 0 : Footprint.TREE_ENTRY);
    }
}
