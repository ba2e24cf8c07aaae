package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.ParsedLine;
import dev.tollgate.monitor.spi.ParsedLine.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Keeps one line dated far from the log's time from moving the clock: a request more than
 * {@code --max-jump} ahead of the newest second accepted (or any request before the first is accepted)
 * is held, with the requests after it, until the jump is confirmed or refuted.
 *
 * <ol>
 *   <li>Held requests form groups: a request within {@code max-jump} of a group's first request (before
 *       or after it) joins that group, the first such group in input order; another starts a group.</li>
 *   <li>A group that reaches {@code 1 + confirmations} requests is confirmed: its first request is read,
 *       which moves the clock to it, then every other held request is released in input order. Before
 *       the clock started, the requests of groups that begin before the confirmed one are read first, in
 *       input order: they start the clock.</li>
 *   <li>A request within {@code max-jump} of the log's time refutes the jump: the held requests are
 *       released, then it is read.</li>
 *   <li>More than {@value #MAX_GROUPS} groups: the oldest is released.</li>
 *   <li>The input ends: the held requests are released — unless the clock never started, then the
 *       largest group (of equal ones, the one with the earliest time) is confirmed; the same happens
 *       when the input is quiet for {@code --timeout} before the clock started.</li>
 * </ol>
 *
 * <p>Released requests within {@code max-jump} of the clock (it may have moved meanwhile) are read as
 * usual, those behind it being late; the others are out of range. Not thread-safe.
 */
final class TimeJumps {

    /** Where held requests go once decided. */
    interface Reader {
        /** Whether the clock started: some request was read. */
        boolean started();

        /** The newest second of log time; only when {@link #started()}. */
        long newest();

        /** Reads {@code line} as if it had just arrived. */
        void read(ParsedLine line, long number);

        /** Counts {@code number} as a bad line, out of range for {@code reason}. */
        void outOfRange(long number, String reason, String shown);
    }

    /** Candidate times held at once; a request far from all of them drops the oldest. */
    static final int MAX_GROUPS = 4;

    private final long maxJump;
    private final String maxJumpText;
    private final int confirmations;
    private final Reader reader;
    private final List<Held> held = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();

    TimeJumps(long maxJumpSeconds, String maxJumpText, int confirmations, Reader reader) {
        this.maxJump = maxJumpSeconds;
        this.maxJumpText = maxJumpText;
        this.confirmations = confirmations;
        this.reader = reader;
    }

    /**
     * Takes the request in {@code line}, read from {@code b[from, to)}, when it must wait; false when the
     * caller reads it now.
     */
    boolean holds(ParsedLine line, byte[] b, int from, int to, long number) {
        long second = line.epochSecond();
        if (reader.started() && second - reader.newest() <= maxJump) {
            if (!held.isEmpty()) {
                releaseAll();
            }
            return false;
        }
        Group group = null;
        for (Group g : groups) {
            if (Math.abs(second - g.anchor) <= maxJump) {
                group = g;
                break;
            }
        }
        if (group == null) {
            group = new Group(second);
            groups.add(group);
        }
        group.size++;
        held.add(new Held(copyOf(line), number, group, Ascii.show(b, from, to)));
        if (group.size > confirmations) {
            confirm(group);
        } else if (groups.size() > MAX_GROUPS) {
            release(groups.get(0));
        }
        return true;
    }

    /** Whether requests are held, waiting for a jump to be decided. */
    boolean holding() {
        return !held.isEmpty();
    }

    /** The input is quiet: before the clock started, nothing can contradict the held requests any more. */
    void quiet() {
        if (!reader.started() && !held.isEmpty()) {
            confirm(largest());
        }
    }

    /** The input ended: decides every held request. */
    void end() {
        if (held.isEmpty()) {
            return;
        }
        if (reader.started()) {
            releaseAll();
        } else {
            confirm(largest());
        }
    }

    private Group largest() {
        Group largest = groups.get(0);
        for (Group g : groups) {
            if (g.size > largest.size || (g.size == largest.size && g.anchor < largest.anchor)) {
                largest = g;
            }
        }
        return largest;
    }

    // the line read first is told from the others by identity (every held line is a copy of its own)
    @SuppressWarnings("ReferenceEquality")
    private void confirm(Group group) {
        boolean starting = !reader.started();
        List<Held> lines = take();
        if (starting) {
            // lines before the confirmed time start the clock: a gap right after them is no reason to lose them
            for (Held h : lines) {
                if (h.group.anchor < group.anchor) {
                    reader.read(h.line, h.number);
                }
            }
        }
        Held first = lines.stream().filter(h -> h.group == group).findFirst().orElseThrow();
        reader.read(first.line, first.number);
        for (Held h : lines) {
            if (h != first && !(starting && h.group.anchor < group.anchor)) {
                decide(h);
            }
        }
    }

    private void releaseAll() {
        take().forEach(this::decide);
    }

    private void release(Group group) {
        groups.remove(group);
        List<Held> released = new ArrayList<>();
        for (Iterator<Held> i = held.iterator(); i.hasNext(); ) {
            Held h = i.next();
            if (h.group == group) {
                released.add(h);
                i.remove();
            }
        }
        released.forEach(this::decide);
    }

    private List<Held> take() {
        List<Held> lines = List.copyOf(held);
        held.clear();
        groups.clear();
        return lines;
    }

    private void decide(Held h) {
        long second = h.line.epochSecond();
        if (reader.started() && second - reader.newest() <= maxJump) {
            reader.read(h.line, h.number);
        } else if (reader.started()) {
            reader.outOfRange(
                    h.number,
                    "out of range: its time " + TimeText.withUtc(second)
                            + " is more than --max-jump " + maxJumpText + " ahead of the log's time "
                            + reader.newest() + ", and " + confirmations
                            + " lines near its time did not confirm the jump",
                    h.shown);
        } else {
            reader.outOfRange(
                    h.number,
                    "out of range: its time " + TimeText.withUtc(second) + " is more than --max-jump " + maxJumpText
                            + " away from the lines after it",
                    h.shown);
        }
    }

    /** A copy of {@code line} that outlives the next line: parsers reuse their buffers. */
    private static ParsedLine copyOf(ParsedLine line) {
        ParsedLine copy = new ParsedLine();
        for (Field field : Field.values()) {
            if (line.has(field)) {
                byte[] bytes = Arrays.copyOfRange(line.array(field), line.from(field), line.to(field));
                copy.set(field, bytes, 0, bytes.length);
            }
        }
        return copy.epochSecond(line.epochSecond()).status(line.status()).bytes(line.bytes());
    }

    private static final class Group {
        final long anchor;
        int size;

        Group(long anchor) {
            this.anchor = anchor;
        }
    }

    private record Held(ParsedLine line, long number, Group group, String shown) {}
}
