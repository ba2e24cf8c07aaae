package dev.tollgate.limiter;

import dev.tollgate.limiter.spi.LimiterProvider;
import dev.tollgate.plugin.ProviderRegistry;
import dev.tollgate.plugin.SettingsException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The known {@link LimiterProvider}s, by backend and algorithm name: one {@link ProviderRegistry} of algorithms
 * per backend. Filled from {@link ServiceLoader} and by explicit {@link #register registration}; an explicitly
 * registered provider replaces a loaded one with the same names. Thread-safe.
 */
public final class LimiterRegistry {

    private static final String HINT = "is a limiter module on the classpath?";

    private final Map<String, ProviderRegistry<LimiterProvider>> byBackend = new ConcurrentHashMap<>();

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

    /** Adds {@code provider}, replacing any provider of the same name (algorithm) and backend. */
    public LimiterRegistry register(LimiterProvider provider) {
        Objects.requireNonNull(provider, "provider");
        String backend = Objects.requireNonNull(provider.backend(), "provider.backend()");
        if (backend.isBlank()) {
            throw new IllegalArgumentException(provider.getClass().getName() + " has a blank backend");
        }
        byBackend
                .computeIfAbsent(backend, b -> ProviderRegistry.empty("algorithm", HINT))
                .register(provider);
        return this;
    }

    /** The provider of {@code algorithm} on {@code backend}, if one is known. */
    public Optional<LimiterProvider> find(String algorithm, String backend) {
        ProviderRegistry<LimiterProvider> algorithms = byBackend.get(backend);
        return algorithms == null ? Optional.empty() : algorithms.find(algorithm);
    }

    /**
     * The provider of {@code algorithm} on {@code backend}.
     *
     * @throws SettingsException with an empty key, to be placed {@linkplain SettingsException#under under} the key
     *     that named the backend or the algorithm, saying which backends or algorithms are known
     */
    public LimiterProvider provider(String algorithm, String backend) {
        ProviderRegistry<LimiterProvider> algorithms = known(backend);
        return algorithms.find(algorithm).orElseThrow(() -> unknownAlgorithm(algorithm, backend, algorithms, ""));
    }

    /**
     * Builds a limiter for {@code spec} on {@code backend}.
     *
     * @throws SettingsException for a spec that cannot be enforced there, keyed by the spec's field (one of
     *     {@link LimitSpec#FIELDS}; {@code algorithm} for an algorithm the backend lacks), or a setting of
     *     {@code options} the backend cannot use, keyed in full; an unknown backend with an empty key
     */
    public RateLimiter create(LimitSpec spec, String backend, LimiterOptions options) {
        ProviderRegistry<LimiterProvider> algorithms = known(backend);
        return algorithms
                .find(spec.algorithm())
                .orElseThrow(() -> unknownAlgorithm(spec.algorithm(), backend, algorithms, "algorithm"))
                .create(spec, options);
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
        ProviderRegistry<LimiterProvider> algorithms = byBackend.get(backend);
        return algorithms == null ? new TreeSet<>() : algorithms.names();
    }

    private ProviderRegistry<LimiterProvider> known(String backend) {
        ProviderRegistry<LimiterProvider> algorithms = byBackend.get(Objects.requireNonNull(backend, "backend"));
        if (algorithms == null || algorithms.isEmpty()) {
            SortedSet<String> backends = backends();
            throw new SettingsException(
                    "",
                    "unknown limiter backend '" + backend + "'; known: "
                            + (backends.isEmpty() ? "(none; " + HINT + ")" : String.join(", ", backends)));
        }
        return algorithms;
    }

    private static SettingsException unknownAlgorithm(
            String algorithm, String backend, ProviderRegistry<LimiterProvider> algorithms, String key) {
        return new SettingsException(
                key,
                "unknown algorithm '" + algorithm + "' for backend '" + backend + "'; known: " + algorithms.known());
    }
}
