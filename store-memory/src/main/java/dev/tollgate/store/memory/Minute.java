package dev.tollgate.store.memory;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The events of one minute, sorted by time and then sequence, with their allowed and blocked counts.
 * Events arrive nearly in order, so an append is nearly always a write at the end; the oldest event
 * leaves from the front. Not thread-safe.
 */
final class Minute {

    final long start;
    long allowed;
    long blocked;

    private StoredEvent[] events = new StoredEvent[8];
    private int head;
    private int tail;

    Minute(long start) {
        this.start = start;
    }

    void add(StoredEvent event) {
        if (tail == events.length) {
            makeRoom();
        }
        if (tail == head || !event.isBefore(events[tail - 1])) {
            events[tail++] = event;
        } else {
            // sequences only grow, so a late event goes after every event of its millisecond
            int at = firstAfter(event.millis);
            System.arraycopy(events, at, events, at + 1, tail - at);
            events[at] = event;
            tail++;
        }
        count(event, 1);
    }

    StoredEvent first() {
        return events[head];
    }

    StoredEvent removeFirst() {
        StoredEvent event = events[head];
        events[head++] = null;
        count(event, -1);
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        return event;
    }

    boolean isEmpty() {
        return head == tail;
    }

    int size() {
        return tail - head;
    }

    /** The allowed and blocked events with {@code from <= millis < to}, added to {@code counts}. */
    void countBetween(long from, long to, long[] counts) {
        for (int i = firstAtOrAfter(from); i < tail && events[i].millis < to; i++) {
            counts[events[i].allowed ? 0 : 1]++;
        }
    }

    /** Hands every event with {@code millis >= from} to {@code visitor}, oldest first. */
    void forEachFrom(long from, Consumer<StoredEvent> visitor) {
        for (int i = firstAtOrAfter(from); i < tail; i++) {
            visitor.accept(events[i]);
        }
    }

    /** Hands the events with {@code from <= millis < to} to {@code visitor}, newest first, until it says stop. */
    boolean forEachNewestFirst(long from, long to, EventVisitor visitor) {
        for (int i = firstAtOrAfter(to) - 1; i >= head && events[i].millis >= from; i--) {
            if (!visitor.visit(events[i])) {
                return false;
            }
        }
        return true;
    }

    /** Receives events until it answers false. */
    @FunctionalInterface
    interface EventVisitor {
        boolean visit(StoredEvent event);
    }

    private void count(StoredEvent event, int delta) {
        if (event.allowed) {
            allowed += delta;
        } else {
            blocked += delta;
        }
    }

    private int firstAtOrAfter(long millis) {
        int low = head;
        int high = tail;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (events[mid].millis < millis) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int firstAfter(long millis) {
        return millis == Long.MAX_VALUE ? tail : firstAtOrAfter(millis + 1);
    }

    private void makeRoom() {
        int size = tail - head;
        if (head > 0 && size <= events.length / 2) {
            System.arraycopy(events, head, events, 0, size);
            Arrays.fill(events, size, tail, null);
        } else {
            events = Arrays.copyOfRange(events, head, head + Math.max(8, size * 2));
        }
        head = 0;
        tail = size;
    }
}
