package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogFormatProvider;
import dev.tollgate.plugin.ProviderRegistry;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;

/**
 * The known {@link LogFormatProvider}s, by name. Filled from {@link ServiceLoader} and by explicit
 * {@link #register registration}; a registered provider replaces one of the same name. Thread-safe.
 */
public final class LogFormats {

    private final ProviderRegistry<LogFormatProvider> registry;

    private LogFormats(ProviderRegistry<LogFormatProvider> registry) {
        this.registry = registry;
    }

    /** A registry with no formats. */
    public static LogFormats empty() {
        return new LogFormats(ProviderRegistry.empty("log format", HINT));
    }

    /** The shipped formats {@code csv}, {@code combined} and {@code common}, without classpath scanning. */
    public static LogFormats builtIn() {
        return empty().register(new CsvLogFormat())
                .register(new CombinedLogFormat())
                .register(new CommonLogFormat());
    }

    /** Every format that {@link ServiceLoader} finds through this class's loader. */
    public static LogFormats fromServiceLoader() {
        return fromServiceLoader(LogFormats.class.getClassLoader());
    }

    /** Every format that {@link ServiceLoader} finds through {@code loader}. */
    public static LogFormats fromServiceLoader(ClassLoader loader) {
        return new LogFormats(ProviderRegistry.load(LogFormatProvider.class, loader, "log format", HINT));
    }

    private static final String HINT = "is tollgate-log-monitor on the classpath?";

    /** Adds {@code provider}, replacing any format of the same name. */
    public LogFormats register(LogFormatProvider provider) {
        registry.register(provider);
        return this;
    }

    /** The format called {@code name}, if known. */
    public Optional<LogFormatProvider> find(String name) {
        return registry.find(name);
    }

    /**
     * The format called {@code name}.
     *
     * @throws MonitorException naming the known formats when there is none
     */
    public LogFormatProvider provider(String name) {
        return registry.find(name)
                .orElseThrow(() ->
                        new MonitorException("unknown log format '" + name + "'; known formats: " + knownNames()));
    }

    /** The names of the known formats, sorted. */
    public SortedSet<String> names() {
        return registry.names();
    }

    /**
     * The format that best fits {@code firstLines} (raw UTF-8 lines without terminators, blank ones
     * left out): the highest {@link LogFormatProvider#detect} score, ties going to the format
     * registered first; empty when no format accepts any of the lines.
     */
    public Optional<LogFormatProvider> detect(List<byte[]> firstLines) {
        LogFormatProvider best = null;
        int bestScore = 0;
        for (LogFormatProvider candidate : registry.all()) {
            int score = candidate.detect(firstLines);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The known names for a message: {@code combined, common, csv}. */
    public String knownNames() {
        return registry.known();
    }
}
