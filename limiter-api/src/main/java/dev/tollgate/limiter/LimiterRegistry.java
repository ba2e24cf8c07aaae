package dev.tollgate.limiter;

import dev.tollgate.limiter.spi.LimiterProvider;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The known {@link LimiterProvider}s, by backend and algorithm name. Filled from
 * {@link ServiceLoader} and by explicit {@link #register registration}; an explicitly registered
 * provider replaces a loaded one with the same names. Thread-safe.
 */
public final class LimiterRegistry {

    private final Map<String, Map<String, LimiterProvider>> byBackend = new ConcurrentHashMap<>();

    private LimiterRegistry() {}

    /** A registry with no providers. */
    public static LimiterRegistry empty() {
        return new LimiterRegistry();
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through this class's loader. */
    public static LimiterRegistry fromServiceLoader() {
        return fromServiceLoader(LimiterRegistry.class.getClassLoader());
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through {@code loader}. */
    public static LimiterRegistry fromServiceLoader(ClassLoader loader) {
        LimiterRegistry registry = new LimiterRegistry();
        ServiceLoader.load(LimiterProvider.class, loader).forEach(registry::register);
        return registry;
    }

    /** Adds {@code provider}, replacing any provider of the same algorithm and backend. */
    public LimiterRegistry register(LimiterProvider provider) {
        Objects.requireNonNull(provider, "provider");
        byBackend
                .computeIfAbsent(provider.backend(), b -> new ConcurrentHashMap<>())
                .put(provider.algorithm(), provider);
        return this;
    }

    /** The provider of {@code algorithm} on {@code backend}, if one is known. */
    public Optional<LimiterProvider> find(String algorithm, String backend) {
        Map<String, LimiterProvider> algorithms = byBackend.get(backend);
        return algorithms == null ? Optional.empty() : Optional.ofNullable(algorithms.get(algorithm));
    }

    /**
     * The provider of {@code algorithm} on {@code backend}.
     *
     * @throws LimiterException naming the known backends or algorithms when there is none
     */
    public LimiterProvider provider(String algorithm, String backend) {
        Map<String, LimiterProvider> algorithms = byBackend.get(backend);
        if (algorithms == null || algorithms.isEmpty()) {
            throw new LimiterException("unknown limiter backend '" + backend + "'; known: " + list(backends()));
        }
        LimiterProvider provider = algorithms.get(algorithm);
        if (provider == null) {
            throw new LimiterException("unknown algorithm '" + algorithm + "' for backend '" + backend + "'; known: "
                    + list(algorithms(backend)));
        }
        return provider;
    }

    /** Builds a limiter for {@code spec} on {@code backend}. */
    public RateLimiter create(LimitSpec spec, String backend, LimiterOptions options) {
        return provider(spec.algorithm(), backend).create(spec, options);
    }

    /** The names of the backends that have at least one algorithm, sorted. */
    public SortedSet<String> backends() {
        return byBackend.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The algorithms known on {@code backend}, sorted. */
    public SortedSet<String> algorithms(String backend) {
        Map<String, LimiterProvider> algorithms = byBackend.get(backend);
        return algorithms == null ? new TreeSet<>() : new TreeSet<>(algorithms.keySet());
    }

    private static String list(SortedSet<String> names) {
        return names.isEmpty() ? "(none; is a limiter module on the classpath?)" : String.join(", ", names);
    }
}
