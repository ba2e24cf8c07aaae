package dev.tollgate.store.memory;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The events of one minute, sorted by time and then sequence, with their allowed and blocked counts.
 * Events arrive nearly in order, so an append is nearly always a write at the end; the oldest event
 * leaves from the front. The fields are kept in columns — arrays of numbers and of shared texts — so a
 * busy minute is a handful of large arrays rather than an object per event: the garbage collector then
 * neither copies the events while they are young nor traces them once they are old. Not thread-safe.
 */
final class Minute {

    private static final byte ALLOWED = 1;
    private static final byte SHADOW = 2;

    final long start;
    long allowed;
    long blocked;

    private long[] millis = new long[8];
    private long[] sequences = new long[8];
    private String[] keys = new String[8];
    private String[] ruleNames = new String[8];
    private String[] paths = new String[8];
    private String[] methods = new String[8];
    private String[] ipAddresses = new String[8];
    private String[] userIds = new String[8];
    private long[] counts = new long[8];
    private long[] limits = new long[8];
    private byte[] flags = new byte[8];
    private int head;
    private int tail;

    Minute(long start) {
        this.start = start;
    }

    void add(StoredEvent event) {
        if (tail == millis.length) {
            makeRoom();
        }
        if (tail == head || !isBefore(event, tail - 1)) {
            set(tail++, event);
        } else {
            // sequences only grow, so a late event goes after every event of its millisecond
            int at = firstAfter(event.millis);
            move(at, at + 1, tail - at);
            set(at, event);
            tail++;
        }
        count(event.allowed, 1);
    }

    StoredEvent first() {
        return get(head);
    }

    StoredEvent removeFirst() {
        StoredEvent event = get(head);
        clear(head, head + 1);
        head++;
        count(event.allowed, -1);
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
        for (int i = firstAtOrAfter(from); i < tail && millis[i] < to; i++) {
            counts[(flags[i] & ALLOWED) != 0 ? 0 : 1]++;
        }
    }

    /** Hands every event with {@code millis >= from} to {@code visitor}, oldest first. */
    void forEachFrom(long from, Consumer<StoredEvent> visitor) {
        for (int i = firstAtOrAfter(from); i < tail; i++) {
            visitor.accept(get(i));
        }
    }

    /** Hands the events with {@code from <= millis < to} to {@code visitor}, newest first, until it says stop. */
    boolean forEachNewestFirst(long from, long to, EventVisitor visitor) {
        for (int i = firstAtOrAfter(to) - 1; i >= head && millis[i] >= from; i--) {
            if (!visitor.visit(get(i))) {
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

    private StoredEvent get(int i) {
        return new StoredEvent(millis[i], sequences[i], keys[i], ruleNames[i], paths[i], methods[i], ipAddresses[i],
                userIds[i], counts[i], limits[i], (flags[i] & ALLOWED) != 0, (flags[i] & SHADOW) != 0);
    }

    private void set(int i, StoredEvent event) {
        millis[i] = event.millis;
        sequences[i] = event.sequence;
        keys[i] = event.key;
        ruleNames[i] = event.ruleName;
        paths[i] = event.path;
        methods[i] = event.method;
        ipAddresses[i] = event.ipAddress;
        userIds[i] = event.userId;
        counts[i] = event.count;
        limits[i] = event.limit;
        flags[i] = (byte) ((event.allowed ? ALLOWED : 0) | (event.shadow ? SHADOW : 0));
    }

    /** Whether {@code event} sorts before the event at {@code i}. */
    private boolean isBefore(StoredEvent event, int i) {
        return event.millis < millis[i] || (event.millis == millis[i] && event.sequence < sequences[i]);
    }

    private void count(boolean wasAllowed, int delta) {
        if (wasAllowed) {
            allowed += delta;
        } else {
            blocked += delta;
        }
    }

    private int firstAtOrAfter(long at) {
        int low = head;
        int high = tail;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (millis[mid] < at) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int firstAfter(long at) {
        return at == Long.MAX_VALUE ? tail : firstAtOrAfter(at + 1);
    }

    /** Copies {@code length} events from {@code from} to {@code to} within the columns. */
    private void move(int from, int to, int length) {
        System.arraycopy(millis, from, millis, to, length);
        System.arraycopy(sequences, from, sequences, to, length);
        System.arraycopy(keys, from, keys, to, length);
        System.arraycopy(ruleNames, from, ruleNames, to, length);
        System.arraycopy(paths, from, paths, to, length);
        System.arraycopy(methods, from, methods, to, length);
        System.arraycopy(ipAddresses, from, ipAddresses, to, length);
        System.arraycopy(userIds, from, userIds, to, length);
        System.arraycopy(counts, from, counts, to, length);
        System.arraycopy(limits, from, limits, to, length);
        System.arraycopy(flags, from, flags, to, length);
    }

    /** Lets go of the texts of the events in {@code [from, to)}. */
    private void clear(int from, int to) {
        Arrays.fill(keys, from, to, null);
        Arrays.fill(ruleNames, from, to, null);
        Arrays.fill(paths, from, to, null);
        Arrays.fill(methods, from, to, null);
        Arrays.fill(ipAddresses, from, to, null);
        Arrays.fill(userIds, from, to, null);
    }

    private void makeRoom() {
        int size = tail - head;
        if (head > 0 && size <= millis.length / 2) {
            move(head, 0, size);
            clear(size, tail);
        } else {
            int capacity = Math.max(8, size * 2);
            millis = Arrays.copyOfRange(millis, head, head + capacity);
            sequences = Arrays.copyOfRange(sequences, head, head + capacity);
            keys = Arrays.copyOfRange(keys, head, head + capacity);
            ruleNames = Arrays.copyOfRange(ruleNames, head, head + capacity);
            paths = Arrays.copyOfRange(paths, head, head + capacity);
            methods = Arrays.copyOfRange(methods, head, head + capacity);
            ipAddresses = Arrays.copyOfRange(ipAddresses, head, head + capacity);
            userIds = Arrays.copyOfRange(userIds, head, head + capacity);
            counts = Arrays.copyOfRange(counts, head, head + capacity);
            limits = Arrays.copyOfRange(limits, head, head + capacity);
            flags = Arrays.copyOfRange(flags, head, head + capacity);
        }
        head = 0;
        tail = size;
    }
}
