package dev.tollgate.store.memory;

import java.util.HashMap;
import java.util.Map;

/**
 * What the dashboard needs of one hour or one day, kept up to date as events come and go: allowed, blocked and
 * shadow-blocked counts, blocked and shadow-blocked events per key, hits, blocked and shadow-blocked events per
 * named rule. Not thread-safe.
 */
final class Tally {

    /**
     * A tally without entries, with its place in the map of hours or days: the tally itself (seven numbers, three
     * peaks, three maps), its three maps, the map entry and its boxed key.
     */
    static final long EMPTY_BYTES = Footprint.object(7 * 8 + 3 * 4 + 3 * Footprint.REFERENCE)
            + 3 * Footprint.HASH_MAP
            + Footprint.TREE_ENTRY
            + Footprint.LONG_BOX;

    private static final long KEY_ENTRY = Footprint.HASH_NODE + Footprint.LONG_ARRAY_1;
    private static final long RULE_ENTRY = Footprint.HASH_NODE + Footprint.LONG_ARRAY_3;

    long allowed;
    long blocked;
    long shadowBlocked;
    /** The event log's change count at this tally's latest change (hour tallies only). */
    long version;
    /** Key → blocked events; only keys with at least one. */
    final Map<String, long[]> blockedByKey = new HashMap<>();
    /** Key → shadow-blocked events; only keys with at least one. */
    final Map<String, long[]> shadowBlockedByKey = new HashMap<>();
    /** Rule name → {hits, blocked, shadow-blocked}; only named rules with at least one hit. */
    final Map<String, long[]> byRule = new HashMap<>();
    /** The most entries each map has held, and the estimated size of its table (which never shrinks). */
    private int peakKeys;

    private int peakShadowKeys;
    private int peakRules;
    private long keyTable;
    private long shadowKeyTable;
    private long ruleTable;

    /** Counts {@code event} in; answers by how many bytes the estimate of {@link #bytes()} grew. */
    long add(StoredEvent event) {
        long grown = 0;
        switch (event.outcome()) {
            case StoredEvent.BLOCKED -> {
                blocked++;
                grown += countKey(blockedByKey, event.key);
                if (blockedByKey.size() > peakKeys) {
                    peakKeys = blockedByKey.size();
                    long table = Footprint.hashTable(peakKeys);
                    grown += table - keyTable;
                    keyTable = table;
                }
            }
            case StoredEvent.SHADOW_BLOCKED -> {
                shadowBlocked++;
                grown += countKey(shadowBlockedByKey, event.key);
                if (shadowBlockedByKey.size() > peakShadowKeys) {
                    peakShadowKeys = shadowBlockedByKey.size();
                    long table = Footprint.hashTable(peakShadowKeys);
                    grown += table - shadowKeyTable;
                    shadowKeyTable = table;
                }
            }
            default -> allowed++;
        }
        if (!event.ruleName.isEmpty()) {
            long[] rule = byRule.get(event.ruleName);
            if (rule == null) {
                rule = new long[3];
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
            if (event.outcome() != StoredEvent.ALLOWED) {
                rule[event.outcome()]++;
            }
        }
        return grown;
    }

    /** Counts {@code event} out; answers by how many bytes the estimate of {@link #bytes()} shrank. */
    long remove(StoredEvent event) {
        long shrunk = 0;
        switch (event.outcome()) {
            case StoredEvent.BLOCKED -> {
                blocked--;
                shrunk += uncountKey(blockedByKey, event.key);
            }
            case StoredEvent.SHADOW_BLOCKED -> {
                shadowBlocked--;
                shrunk += uncountKey(shadowBlockedByKey, event.key);
            }
            default -> allowed--;
        }
        if (!event.ruleName.isEmpty()) {
            long[] rule = byRule.get(event.ruleName);
            rule[0]--;
            if (event.outcome() != StoredEvent.ALLOWED) {
                rule[event.outcome()]--;
            }
            if (rule[0] == 0) {
                byRule.remove(event.ruleName);
                shrunk += RULE_ENTRY;
            }
        }
        return shrunk;
    }

    /** Adds one to {@code key}'s count in {@code counts}; answers the bytes a new entry takes, else 0. */
    private static long countKey(Map<String, long[]> counts, String key) {
        long[] count = counts.get(key);
        if (count == null) {
            counts.put(key, new long[] {1});
            return KEY_ENTRY;
        }
        count[0]++;
        return 0;
    }

    /** Takes one from {@code key}'s count in {@code counts}; answers the bytes a removed entry took, else 0. */
    private static long uncountKey(Map<String, long[]> counts, String key) {
        long[] count = counts.get(key);
        if (--count[0] == 0) {
            counts.remove(key);
            return KEY_ENTRY;
        }
        return 0;
    }

    boolean isEmpty() {
        return allowed == 0 && blocked == 0 && shadowBlocked == 0;
    }

    /**
     * The estimated heap of this tally and its place in its map: {@link #EMPTY_BYTES}, an entry per key and per
     * rule, and the maps' tables at their largest (the keys' and rules' texts are the store's shared ones).
     */
    long bytes() {
        return EMPTY_BYTES
                + (blockedByKey.size() + shadowBlockedByKey.size()) * KEY_ENTRY
                + byRule.size() * RULE_ENTRY
                + keyTable
                + shadowKeyTable
                + ruleTable;
    }
}
