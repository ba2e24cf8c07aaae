package dev.tollgate.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Keys and address blocks: the {@code allow} list (never limited) or the {@code deny} list (always refused). */
public final class AccessList {

    private static final AccessList EMPTY = new AccessList(Set.of(), List.of());

    private final Set<String> keys;
    private final List<Cidr> blocks;

    private AccessList(Set<String> keys, List<Cidr> blocks) {
        this.keys = keys;
        this.blocks = blocks;
    }

    /** An entry that parses as an address or CIDR block is one; anything else is a key such as {@code user:42}. */
    public static AccessList of(List<String> entries) {
        Set<String> keys = new HashSet<>();
        List<Cidr> blocks = new ArrayList<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                throw new IllegalArgumentException(
                        "an empty entry; write a key such as user:42 or a block such as 10.0.0.0/8");
            }
            if (Cidr.looksLikeCidr(entry)) {
                blocks.add(Cidr.parse(entry));
            } else {
                keys.add(entry.trim());
            }
        }
        return new AccessList(Set.copyOf(keys), List.copyOf(blocks));
    }

    public static AccessList empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return keys.isEmpty() && blocks.isEmpty();
    }

    /** Whether the client address or one of the request's keys is listed. */
    public boolean matches(String clientIp, Iterable<String> requestKeys) {
        if (isEmpty()) {
            return false;
        }
        for (Cidr block : blocks) {
            if (block.contains(clientIp)) {
                return true;
            }
        }
        if (keys.contains("ip:" + clientIp)) {
            return true;
        }
        for (String key : requestKeys) {
            if (keys.contains(key)) {
                return true;
            }
        }
        return false;
    }
}
