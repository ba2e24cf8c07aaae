package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.core.spi.KeyResolverProvider;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The key kinds a rule may name, by kind: those {@link java.util.ServiceLoader} finds and those given to the builder.
 *
 * @param byKind the provider of each kind, by its {@link KeyResolverProvider#kind() kind}
 */
record KeyKinds(Map<String, KeyResolverProvider> byKind) {

    KeyKinds {
        byKind = Map.copyOf(byKind);
    }

    /**
     * The resolver for a rule's {@code key}: the kind, case-insensitive, then after a colon the argument the provider
     * gets, as in {@code header:X-API-Key}.
     *
     * @throws IllegalArgumentException for a kind no provider has, naming the known ones
     */
    KeyResolver resolver(String key) {
        int colon = key.indexOf(':');
        String kind = (colon < 0 ? key : key.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String argument = colon < 0 ? "" : key.substring(colon + 1);
        KeyResolverProvider provider = byKind.get(kind);
        if (provider == null) {
            throw new IllegalArgumentException(
                    "unknown key kind '" + kind + "'; known: " + String.join(", ", new TreeSet<>(byKind.keySet())));
        }
        return provider.create(argument);
    }
}
