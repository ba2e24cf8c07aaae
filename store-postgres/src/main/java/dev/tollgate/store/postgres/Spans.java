package dev.tollgate.store.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a time range into what the rollups can answer and what must be counted from the events: the widest
 * whole buckets that fit, then ever finer whole buckets towards the edges, then the few milliseconds at each
 * edge that no bucket covers. The spans partition the range exactly.
 */
final class Spans {

    /** The width of a span counted from the events themselves rather than from a rollup. */
    static final long EXACT = 0;

    /** A range open towards the future ends here. */
    static final long OPEN = Long.MAX_VALUE;

    /**
     * Whole buckets of {@code width} starting in {@code [from, to)}, or, when {@code width} is {@link #EXACT},
     * the events stamped in {@code [from, to)}.
     */
    record Span(long width, long from, long to) {
    }

    private Spans() {
    }

    /**
     * The spans of {@code [from, to)} ({@code to} may be {@link #OPEN}) over rollups of {@code widths}, widest
     * first, each a multiple of the next.
     */
    static List<Span> cover(long from, long to, long... widths) {
        List<Span> spans = new ArrayList<>();
        cover(from, to, widths, 0, spans);
        return spans;
    }

    private static void cover(long from, long to, long[] widths, int level, List<Span> spans) {
        if (from >= to) {
            return;
        }
        if (level == widths.length) {
            spans.add(new Span(EXACT, from, to));
            return;
        }
        long width = widths[level];
        long first = PostgresEventStore.ceil(from, width);
        long end = to == OPEN ? OPEN : PostgresEventStore.floor(to, width);
        if (first >= end) {
            cover(from, to, widths, level + 1, spans);
            return;
        }
        cover(from, first, widths, level + 1, spans);
        spans.add(new Span(width, first, end));
        cover(end, to, widths, level + 1, spans);
    }
}
