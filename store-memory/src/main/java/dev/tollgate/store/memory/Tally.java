package dev.tollgate.store.memory;

import java.util.HashMap;
import java.util.Map;

/**
 * What the dashboard needs of one hour or one day, kept up to date as events come and go: allowed and
 * blocked counts, blocked events per key, hits and blocked events per named rule. Not thread-safe.
 */
final class Tally {

    /**
     * A tally without entries, with its place in the map of hours or days: the tally itself (five numbers, two
     * peaks, two maps), its two maps, the map entry and its boxed key.
     */
    static final long EMPTY_BYTES = Footprint.object(5 * 8 + 2 * 4 + 2 * Footprint.REFERENCE)
            + 2 * Footprint.HASH_MAP + Footprint.TREE_ENTRY + Footprint.LONG_BOX;
    private static final long KEY_ENTRY = Footprint.HASH_NODE + Footprint.LONG_ARRAY_1;
    private static final long RULE_ENTRY = Footprint.HASH_NODE + Footprint.LONG_ARRAY_2;

    long allowed;
    long blocked;
    /** The event log's change count at this tally's latest change (hour tallies only). */
    long version;
    /** Key → blocked events; only keys with at least one. */
    final Map<String, long[]> blockedByKey = new HashMap<>();
    /** Rule name → {hits, blocked}; only named rules with at least one hit. */
    final Map<String, long[]> byRule = new HashMap<>();
    /** The most entries each map has held, and the estimated size of its table (which never shrinks). */
    private int peakKeys;
    private int peakRules;
    private long keyTable;
    private long ruleTable;

    /** Counts {@code event} in; answers by how many bytes the estimate of {@link #bytes()} grew. */
    long add(StoredEvent event) {
        long grown = 0;
        if (event.allowed) {
            allowed++;
        } else {
            blocked++;
            long[] count = blockedByKey.get(event.key);
            if (count == null) {
                blockedByKey.put(event.key, new long[] {1});
                grown += KEY_ENTRY;
                if (blockedByKey.size() > peakKeys) {
                    peakKeys = blockedByKey.size();
                    long table = Footprint.hashTable(peakKeys);
                    grown += table - keyTable;
                    keyTable = table;
                }
            } else {
                count[0]++;
            }
        }
        if (!event.ruleName.isEmpty()) {
            long[] rule = byRule.get(event.ruleName);
            if (rule == null) {
                rule = new long[2];
                byRule.put(event.ruleName, rule);
                grown += RULE_ENTRY;
                if (byRule.size() > peakRules) {
                    peakRules = byRule.size();
                    long table = Footprint.hashTable(peakRules);
                    grown += table - ruleTable;
                    ruleTable = table;
                }
            }
            rule[0]++;
            rule[1] += event.allowed ? 0 : 1;
        }
        return grown;
    }

    /** Counts {@code event} out; answers by how many bytes the estimate of {@link #bytes()} shrank. */
    long remove(StoredEvent event) {
        long shrunk = 0;
        if (event.allowed) {
            allowed--;
        } else {
            blocked--;
            long[] count = blockedByKey.get(event.key);
            if (--count[0] == 0) {
                blockedByKey.remove(event.key);
                shrunk += KEY_ENTRY;
            }
        }
        if (!event.ruleName.isEmpty()) {
            long[] rule = byRule.get(event.ruleName);
            rule[0]--;
            rule[1] -= event.allowed ? 0 : 1;
            if (rule[0] == 0) {
                byRule.remove(event.ruleName);
                shrunk += RULE_ENTRY;
            }
        }
        return shrunk;
    }

    boolean isEmpty() {
        return allowed == 0 && blocked == 0;
    }

    /**
     * The estimated heap of this tally and its place in its map: {@link #EMPTY_BYTES}, an entry per key and per
     * rule, and the maps' tables at their largest (the keys' and rules' texts are the store's shared ones).
     */
    long bytes() {
        return EMPTY_BYTES + blockedByKey.size() * KEY_ENTRY + byRule.size() * RULE_ENTRY + keyTable + ruleTable;
    }
}
