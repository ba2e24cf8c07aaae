package dev.tollgate.events.spi;

import dev.tollgate.events.Offender;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Refused events per key (blocked ones, or shadow-blocked ones for the shadow ranking), kept in ranking order as
 * well, for a store that keeps the settled part of an offender ranking between calls: moving the counts on by a few keys costs a few tree updates, and ranking them together
 * with a fresh part looks at the fresh keys and at no more than {@code limit} of the others. Not thread-safe.
 */
public final class OffenderCounts {

    /** Most refused first, ties by key ascending: the order of {@code topOffenders} and {@code topShadowOffenders}. */
    public static final Comparator<Offender> RANKING =
            Comparator.comparingLong(Offender::blockedCount).reversed().thenComparing(Offender::key);

    private final Map<String, long[]> counts;
    private final TreeSet<Offender> ranking = new TreeSet<>(RANKING);

    /** These counts: key → {blocked}, every count at least 1. The map is kept, not copied. */
    public OffenderCounts(Map<String, long[]> counts) {
        this.counts = counts;
        counts.forEach((key, count) -> ranking.add(new Offender(key, count[0])));
    }

    /** No counts. */
    public OffenderCounts() {
        this(new HashMap<>());
    }

    /** How many keys have a count. */
    public int size() {
        return counts.size();
    }

    /** Adds {@code blocked} (at least 1) to {@code key}'s count. */
    public void add(String key, long blocked) {
        long[] count = counts.get(key);
        if (count == null) {
            counts.put(key, new long[] {blocked});
        } else {
            ranking.remove(new Offender(key, count[0]));
            blocked += count[0];
            count[0] = blocked;
        }
        ranking.add(new Offender(key, blocked));
    }

    /** Takes {@code blocked} away from {@code key}'s count; false, and nothing changed, when it has fewer. */
    public boolean subtract(String key, long blocked) {
        long[] count = counts.get(key);
        if (count == null || count[0] < blocked) {
            return false;
        }
        ranking.remove(new Offender(key, count[0]));
        count[0] -= blocked;
        if (count[0] == 0) {
            counts.remove(key);
        } else {
            ranking.add(new Offender(key, count[0]));
        }
        return true;
    }

    /**
     * The {@code limit} keys with the highest sums of these counts and {@code fresh} (key → {blocked}), in
     * {@link #RANKING} order: every key of {@code fresh}, and the first {@code limit} of the others, which no key
     * further down can pass.
     */
    public List<Offender> top(Map<String, long[]> fresh, int limit) {
        PriorityQueue<Offender> best = new PriorityQueue<>(limit + 1, RANKING.reversed());
        fresh.forEach((key, more) -> {
            long[] count = counts.get(key);
            offer(best, key, count == null ? more[0] : count[0] + more[0], limit);
        });
        int others = 0;
        for (Offender offender : ranking) {
            if (others == limit) {
                break;
            }
            if (!fresh.containsKey(offender.key())) {
                offer(best, offender.key(), offender.blockedCount(), limit);
                others++;
            }
        }
        List<Offender> ranked = new ArrayList<>(best);
        ranked.sort(RANKING);
        return ranked;
    }

    private static void offer(PriorityQueue<Offender> best, String key, long blocked, int limit) {
        if (blocked <= 0) {
            return;
        }
        if (best.size() < limit) {
            best.add(new Offender(key, blocked));
            return;
        }
        Offender worst = best.peek();
        if (blocked > worst.blockedCount() || (blocked == worst.blockedCount() && key.compareTo(worst.key()) < 0)) {
            best.poll();
            best.add(new Offender(key, blocked));
        }
    }
}
