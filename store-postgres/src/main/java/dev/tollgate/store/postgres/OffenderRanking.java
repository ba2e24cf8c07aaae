package dev.tollgate.store.postgres;

import dev.tollgate.events.Offender;
import dev.tollgate.events.spi.OffenderCounts;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The top offenders of a window, with the counts of its settled part kept between calls: of blocked events, or of
 * shadow-blocked events for the shadow ranking, as its {@link StoreSql.Ranking statements} count.
 *
 * <p>A window {@code [from, now]} has a settled part, {@code [from, sealed)} with {@code sealed} the start of the
 * hour that began at least {@link #SETTLE} ago, and a fresh part, the hour rows from {@code sealed} on (events
 * stamped in the future included). The count of every key in the settled part is kept in memory,
 * together with the stamps that the hour rows of {@code rollup_totals} carry (every append and deletion gives
 * the hours it changes a fresh stamp). Each call reads, in one statement and so from one snapshot: the stamps
 * of the settled hours, the counted events that have left the window since the last call, the hours that have
 * settled since, and the fresh part. When every stamp is the one kept, the kept counts are still those of the
 * database, so moving them on by the few events that left and the hours that settled makes them exact for
 * the new window; the fresh part is added on top and the keys ranked. When a stamp differs (an event appended
 * late into a settled hour, by any node, or a deletion), the settled part is counted again from the rollups.
 *
 * <p>Windows are kept for the last {@link #WINDOWS} lengths asked for, each up to {@code maxKeys} keys; a window
 * with more keys is answered the same way but counted afresh on every call.
 */
final class OffenderRanking {

    /** How long after its end an hour is taken as settled: appends into it after that are late. */
    static final long SETTLE = StoreSql.MINUTE;

    /** How many window lengths are kept at once: the dashboard's six ranges and a few lengths in days. */
    static final int WINDOWS = 10;

    private final Pool pool;
    private final StoreSql.Ranking sql;
    private final int maxKeys;
    /** How far the day rows of {@code rollup_offender_counts} reach (see {@link #spans}). */
    private final LongSupplier offenderDaysBefore;

    private final Map<Long, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Window> eldest) {
            return size() > WINDOWS;
        }
    };

    OffenderRanking(Pool pool, StoreSql.Ranking sql, int maxKeys, LongSupplier offenderDaysBefore) {
        this.pool = pool;
        this.sql = sql;
        this.maxKeys = maxKeys;
        this.offenderDaysBefore = offenderDaysBefore;
    }

    /**
     * The spans of {@code [from, to)} over {@code rollup_offender_counts}: its day rows hold the events stamped before
     * {@code offenderDaysBefore}, its hour rows every event; the range from there on is counted from hour rows.
     */
    List<Spans.Span> spans(long from, long to) {
        long days = Math.max(from, Math.min(to, offenderDaysBefore.getAsLong()));
        List<Spans.Span> spans = new ArrayList<>(Spans.cover(from, days, StoreSql.OFFENDER_WIDTHS));
        spans.addAll(Spans.cover(days, to, StoreSql.HOUR));
        return spans;
    }

    /**
     * The {@code limit} keys with the most counted events stamped at or after {@code from}, {@code now} being now, in
     * the window of {@code length} milliseconds: what is kept is kept per length.
     */
    // the kept window is checked by identity on purpose: a window moved by another call is another object
    @SuppressWarnings("ReferenceEquality")
    Future<List<Offender>> top(long now, long from, long length, int limit) {
        long sealed = PostgresEventStore.floor(now - SETTLE, StoreSql.HOUR);
        if (sealed <= from) {
            return direct(from, limit);
        }
        Window kept;
        synchronized (this) {
            kept = windows.get(length);
        }
        boolean movable = kept != null && kept.from <= from && from < kept.sealed && kept.sealed <= sealed;
        Plan plan = movable ? Plan.moving(kept, from, sealed, this::spans) : Plan.counting(from, sealed, this::spans);
        return pool.preparedQuery(sql.parts()).execute(plan.arguments()).compose(rows -> {
            Parts parts = Parts.of(rows);
            synchronized (this) {
                if (plan.kept() != null && windows.get(length) != plan.kept()) {
                    // another call moved the window meanwhile: start again from where it left it
                    return top(now, from, length, limit);
                }
                Window window = plan.apply(parts);
                if (window == null) {
                    // a late append or a deletion changed a settled hour: count the window again
                    windows.remove(length);
                    return top(now, from, length, limit);
                }
                if (window.settled.size() <= maxKeys) {
                    windows.put(length, window);
                } else {
                    windows.remove(length);
                }
                return Future.succeededFuture(window.settled.top(parts.fresh, limit));
            }
        });
    }

    private Future<List<Offender>> direct(long from, int limit) {
        Tuple arguments = new Spans.Arguments().add(spans(from, Spans.OPEN), 0).withoutTargets(limit);
        return pool.preparedQuery(sql.top()).execute(arguments).map(rows -> {
            List<Offender> offenders = new ArrayList<>();
            rows.forEach(row -> offenders.add(new Offender(row.getString(0), row.getLong(1))));
            return offenders;
        });
    }

    /**
     * The settled part of a window: the count per key of the events stamped in {@code [from, sealed)},
     * valid while the hours from the one holding {@code from} up to {@code sealed} keep the {@code stamps} read
     * with those counts.
     */
    private record Window(long from, long sealed, Map<Long, Stamp> stamps, OffenderCounts settled) {}

    /** An hour's stamps: how many rows it has in {@code rollup_totals} at an hour's width, and their sum. */
    private record Stamp(long rows, long sum) {}

    /** The spans of a range over {@code rollup_offender_counts}. */
    @FunctionalInterface
    private interface Cover {
        List<Spans.Span> of(long from, long to);
    }

    /** What one call asks the database, and how its answer becomes the window. */
    private record Plan(
            Window kept, long from, long sealed, long stampsFrom, List<Spans.Span> subtract, List<Spans.Span> add) {

        /** Counts the settled part from scratch, over {@code spans} of a range. */
        static Plan counting(long from, long sealed, Cover spans) {
            return new Plan(null, from, sealed, hour(from), List.of(), spans.of(from, sealed));
        }

        /** Moves {@code kept} on to {@code [from, sealed)}. */
        static Plan moving(Window kept, long from, long sealed, Cover spans) {
            return new Plan(
                    kept, from, sealed, hour(kept.from), spans.of(kept.from, from), spans.of(kept.sealed, sealed));
        }

        Tuple arguments() {
            Tuple tuple = Tuple.of(stampsFrom, sealed);
            for (List<Spans.Span> spans : List.of(subtract, add, Spans.cover(sealed, Spans.OPEN, StoreSql.HOUR))) {
                new Spans.Arguments().add(spans, 0).appendWithoutTargets(tuple);
            }
            return tuple;
        }

        /** The window this plan leads to, or null when a kept hour has changed underneath. */
        Window apply(Parts parts) {
            Map<Long, Stamp> stamps = new HashMap<>();
            long first = hour(from);
            parts.stamps.forEach((hour, stamp) -> {
                if (hour >= first) {
                    stamps.put(hour, stamp);
                }
            });
            if (kept == null) {
                return new Window(from, sealed, stamps, new OffenderCounts(parts.added));
            }
            for (long hour = hour(kept.from); hour < kept.sealed; hour += StoreSql.HOUR) {
                if (!Objects.equals(kept.stamps.get(hour), parts.stamps.get(hour))) {
                    return null;
                }
            }
            for (Map.Entry<String, long[]> left : parts.subtracted.entrySet()) {
                if (!kept.settled.subtract(left.getKey(), left.getValue()[0])) {
                    return null;
                }
            }
            parts.added.forEach((key, count) -> kept.settled.add(key, count[0]));
            return new Window(from, sealed, stamps, kept.settled);
        }

        private static long hour(long millis) {
            return PostgresEventStore.floor(millis, StoreSql.HOUR);
        }
    }

    /** The rows of {@code offenderParts}, by part. */
    private record Parts(
            Map<Long, Stamp> stamps,
            Map<String, long[]> subtracted,
            Map<String, long[]> added,
            Map<String, long[]> fresh) {

        static Parts of(RowSet<Row> rows) {
            Parts parts = new Parts(
                    new HashMap<>(),
                    new HashMap<>(),
                    new HashMap<>(Math.max(16, rows.size() * 4 / 3)),
                    new HashMap<>());
            for (Row row : rows) {
                switch (row.getInteger(0)) {
                    case 0 -> parts.stamps.put(row.getLong(2), new Stamp(row.getLong(3), row.getLong(4)));
                    case 1 -> add(parts.subtracted, row);
                    case 2 -> add(parts.added, row);
                    default -> add(parts.fresh, row);
                }
            }
            return parts;
        }

        private static void add(Map<String, long[]> counts, Row row) {
            long count = row.getLong(3);
            if (count > 0) {
                long[] known = counts.putIfAbsent(row.getString(1), new long[] {count});
                if (known != null) {
                    known[0] += count;
                }
            }
        }
    }
}
