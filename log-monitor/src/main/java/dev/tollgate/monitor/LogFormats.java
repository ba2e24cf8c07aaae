package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogFormatProvider;
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
 * The known {@link LogFormatProvider}s, by name. Filled from {@link ServiceLoader} and by explicit
 * {@link #register registration}; a registered provider replaces one of the same name. Thread-safe.
 */
public final class LogFormats {

    private final Map<String, LogFormatProvider> byName = new LinkedHashMap<>();

    private LogFormats() {}

    /** A registry with no formats. */
    public static LogFormats empty() {
        return new LogFormats();
    }

    /** The shipped formats {@code csv}, {@code combined} and {@code common}, without classpath scanning. */
    public static LogFormats builtIn() {
        return new LogFormats()
                .register(new CsvLogFormat())
                .register(new CombinedLogFormat())
                .register(new CommonLogFormat());
    }

    /** Every format that {@link ServiceLoader} finds through this class's loader. */
    public static LogFormats fromServiceLoader() {
        return fromServiceLoader(LogFormats.class.getClassLoader());
    }

    /** Every format that {@link ServiceLoader} finds through {@code loader}. */
    public static LogFormats fromServiceLoader(ClassLoader loader) {
        LogFormats formats = new LogFormats();
        ServiceLoader.load(LogFormatProvider.class, loader).forEach(formats::register);
        return formats;
    }

    /** Adds {@code provider}, replacing any format of the same name. */
    public synchronized LogFormats register(LogFormatProvider provider) {
        Objects.requireNonNull(provider, "provider");
        byName.put(provider.name(), provider);
        return this;
    }

    /** The format called {@code name}, if known. */
    public synchronized Optional<LogFormatProvider> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The format called {@code name}.
     *
     * @throws MonitorException naming the known formats when there is none
     */
    public synchronized LogFormatProvider provider(String name) {
        LogFormatProvider provider = byName.get(name);
        if (provider == null) {
            throw new MonitorException("unknown log format '" + name + "'; known formats: " + knownNames());
        }
        return provider;
    }

    /** The names of the known formats, sorted. */
    public synchronized SortedSet<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /**
     * The format that best fits {@code firstLines} (raw UTF-8 lines without terminators, blank ones
     * left out): the highest {@link LogFormatProvider#detect} score, ties going to the format
     * registered first; empty when no format accepts any of the lines.
     */
    public Optional<LogFormatProvider> detect(List<byte[]> firstLines) {
        List<LogFormatProvider> candidates;
        synchronized (this) {
            candidates = new ArrayList<>(byName.values());
        }
        LogFormatProvider best = null;
        int bestScore = 0;
        for (LogFormatProvider candidate : candidates) {
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
        SortedSet<String> names = names();
        return names.isEmpty() ? "(none; is tollgate-log-monitor on the classpath?)" : String.join(", ", names);
    }
}
