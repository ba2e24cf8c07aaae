package dev.tollgate.store.postgres;

import io.vertx.sqlclient.Tuple;
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
    record Span(long width, long from, long to) {}

    private Spans() {}

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

    /**
     * The {@link Spans} of a rollup query as its array arguments: the rollup spans (width, from, to and, where
     * the query groups by it, the target they count for), then the spans counted from the events.
     */
    static final class Arguments {

        private final List<Long> widths = new ArrayList<>();
        private final List<Long> froms = new ArrayList<>();
        private final List<Long> tos = new ArrayList<>();
        private final List<Integer> targets = new ArrayList<>();
        private final List<Long> exactFroms = new ArrayList<>();
        private final List<Long> exactTos = new ArrayList<>();
        private final List<Integer> exactTargets = new ArrayList<>();

        Arguments add(List<Span> spans, int target) {
            for (Span span : spans) {
                if (span.width() == Spans.EXACT) {
                    exactFroms.add(span.from());
                    exactTos.add(span.to());
                    exactTargets.add(target);
                } else {
                    widths.add(span.width());
                    froms.add(span.from());
                    tos.add(span.to());
                    targets.add(target);
                }
            }
            return this;
        }

        /** {@code $1..$4} the rollup spans with their targets, {@code $5..$7} the exact spans with theirs. */
        Tuple withTargets() {
            return Tuple.from(new Object[] {
                longs(widths),
                longs(froms),
                longs(tos),
                ints(targets),
                longs(exactFroms),
                longs(exactTos),
                ints(exactTargets)
            });
        }

        /** {@code $1..$3} the rollup spans, {@code $4, $5} the exact spans, {@code $6} {@code last}. */
        Tuple withoutTargets(Object last) {
            return appendWithoutTargets(Tuple.tuple()).addValue(last);
        }

        /** Adds the rollup spans' widths, starts and ends, then the exact spans' starts and ends to {@code tuple}. */
        Tuple appendWithoutTargets(Tuple tuple) {
            return tuple.addValue(longs(widths))
                    .addValue(longs(froms))
                    .addValue(longs(tos))
                    .addValue(longs(exactFroms))
                    .addValue(longs(exactTos));
        }

        private static Long[] longs(List<Long> values) {
            return values.toArray(new Long[0]);
        }

        private static Integer[] ints(List<Integer> values) {
            return values.toArray(new Integer[0]);
        }
    }
}
