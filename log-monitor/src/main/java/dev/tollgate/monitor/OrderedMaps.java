package dev.tollgate.monitor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Unmodifiable copies of maps that keep the order of their entries, which {@link Map#copyOf} does not. */
final class OrderedMaps {

    private OrderedMaps() {}

    static <K, V> Map<K, V> copyOf(Map<K, V> map) {
        Map<K, V> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
        return Collections.unmodifiableMap(copy);
    }
}
