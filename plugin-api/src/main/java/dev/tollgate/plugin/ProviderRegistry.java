package dev.tollgate.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The known providers of one kind, by {@linkplain Provider#name() name}. Filled from {@link ServiceLoader}
 * and by explicit {@link #register registration}; a registered provider replaces one of the same name, in its
 * place. Providers keep the order they were first registered in. Thread-safe.
 *
 * @param <P> the provider interface
 */
public final class ProviderRegistry<P extends Provider> {

    private final String kind;
    private final String hint;
    private final Map<String, P> byName = new LinkedHashMap<>();

    private ProviderRegistry(String kind, String hint) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.hint = Objects.requireNonNull(hint, "hint");
    }

    /**
     * A registry with no providers.
     *
     * @param kind what the providers make, for messages: {@code event store}
     * @param hint what to check when there is none: {@code is a store module such as tollgate-store-memory on
     *     the class path?}
     */
    public static <P extends Provider> ProviderRegistry<P> empty(String kind, String hint) {
        return new ProviderRegistry<>(kind, hint);
    }

    /** A registry of every {@code type} that {@link ServiceLoader} finds through {@code loader}. */
    public static <P extends Provider> ProviderRegistry<P> load(
            Class<P> type, ClassLoader loader, String kind, String hint) {
        ProviderRegistry<P> registry = new ProviderRegistry<>(kind, hint);
        ServiceLoader.load(type, loader).forEach(registry::register);
        return registry;
    }

    /** Adds {@code provider}, replacing any provider of the same name. */
    public synchronized ProviderRegistry<P> register(P provider) {
        Objects.requireNonNull(provider, "provider");
        String name = Objects.requireNonNull(provider.name(), "provider.name()");
        if (name.isBlank()) {
            throw new IllegalArgumentException(provider.getClass().getName() + " has a blank name");
        }
        byName.put(name, provider);
        return this;
    }

    /** The provider named {@code name}, if one is known. */
    public synchronized Optional<P> find(String name) {
        return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * The provider named {@code name}.
     *
     * @throws SettingsException with an empty key, to be placed {@linkplain SettingsException#under under} the
     *     key that named it, saying which names are known
     */
    public P require(String name) {
        return find(name).orElseThrow(() -> new SettingsException("", unknown(name)));
    }

    /** {@code unknown event store 'timed'; installed: memory, postgres}. */
    public String unknown(String name) {
        return "unknown " + kind + " '" + name + "'; installed: " + known();
    }

    /** The names of the known providers, sorted. */
    public synchronized SortedSet<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /** The known names, comma-separated, or what to check when there are none. */
    public String known() {
        SortedSet<String> names = names();
        return names.isEmpty() ? "(none; " + hint + ")" : String.join(", ", names);
    }

    /** The known providers, in the order they were first registered. */
    public synchronized List<P> all() {
        return List.copyOf(new ArrayList<>(byName.values()));
    }

    /** Whether no provider is known. */
    public synchronized boolean isEmpty() {
        return byName.isEmpty();
    }
}
