package dev.tollgate.store.memory;

import java.util.HashMap;
import java.util.Map;

/**
 * What the dashboard needs of one hour or one day, kept up to date as events come and go: allowed and
 * blocked counts, blocked events per key, hits and blocked events per named rule. Not thread-safe.
 */
final class Tally {

    long allowed;
    long blocked;
    /** The event log's change count at this tally's latest change (hour tallies only). */
    long version;
    /** Key → blocked events; only keys with at least one. */
    final Map<String, long[]> blockedByKey = new HashMap<>();
    /** Rule name → {hits, blocked}; only named rules with at least one hit. */
    final Map<String, long[]> byRule = new HashMap<>();

    void add(StoredEvent event) {
        if (event.allowed) {
            allowed++;
        } else {
            blocked++;
            blockedByKey.computeIfAbsent(event.key, key -> new long[1])[0]++;
        }
        if (!event.ruleName.isEmpty()) {
            long[] rule = byRule.computeIfAbsent(event.ruleName, name -> new long[2]);
            rule[0]++;
            rule[1] += event.allowed ? 0 : 1;
        }
    }

    void remove(StoredEvent event) {
        if (event.allowed) {
            allowed--;
        } else {
            blocked--;
            long[] count = blockedByKey.get(event.key);
            if (--count[0] == 0) {
                blockedByKey.remove(event.key);
            }
        }
        if (!event.ruleName.isEmpty()) {
            long[] rule = byRule.get(event.ruleName);
            rule[0]--;
            rule[1] -= event.allowed ? 0 : 1;
            if (rule[0] == 0) {
                byRule.remove(event.ruleName);
            }
        }
    }

    boolean isEmpty() {
        return allowed == 0 && blocked == 0;
    }
}
