package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.plugin.ProviderRegistry;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;

/**
 * The known {@link AlertChannelProvider}s, by name, and the channels they make from their sections of the
 * configuration. Filled from {@link ServiceLoader} and by explicit {@link #register registration}; an
 * explicitly registered provider replaces a loaded one of the same name. Thread-safe.
 *
 * <p>The registry does not know where the channels are in the configuration: it is handed their section
 * ({@code alerts.channels} in Tollgate's), and every problem it finds is a {@link SettingsException} named
 * under that section's {@linkplain Settings#prefix() prefix}.
 */
public final class AlertChannelRegistry {

    private static final String KIND = "alert channel";
    private static final String HINT = "is tollgate-alerting on the classpath?";

    private final ProviderRegistry<AlertChannelProvider> providers;

    private AlertChannelRegistry(ProviderRegistry<AlertChannelProvider> providers) {
        this.providers = providers;
    }

    /** A registry with no providers. */
    public static AlertChannelRegistry empty() {
        return new AlertChannelRegistry(ProviderRegistry.empty(KIND, HINT));
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through this class's loader. */
    public static AlertChannelRegistry fromServiceLoader() {
        return fromServiceLoader(AlertChannelRegistry.class.getClassLoader());
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through {@code loader}. */
    public static AlertChannelRegistry fromServiceLoader(ClassLoader loader) {
        return new AlertChannelRegistry(ProviderRegistry.load(AlertChannelProvider.class, loader, KIND, HINT));
    }

    /** Adds {@code provider}, replacing any provider of the same name. */
    public AlertChannelRegistry register(AlertChannelProvider provider) {
        providers.register(provider);
        return this;
    }

    /** The provider named {@code name}, if one is known. */
    public Optional<AlertChannelProvider> find(String name) {
        return providers.find(name);
    }

    /** The names of the known channels, sorted. */
    public SortedSet<String> names() {
        return providers.names();
    }

    /**
     * The channel named {@code name}, configured by {@code section}, its section of the configuration
     * ({@link Settings#empty} for no settings).
     *
     * @throws SettingsException at the section's prefix ({@code alerts.channels.NAME}) for an unknown name (the
     *     message lists the known ones), or at the key under it that the provider refused
     */
    public AlertChannel create(String name, Vertx vertx, Settings section) {
        Objects.requireNonNull(section, "section");
        String at = section.prefix();
        AlertChannelProvider provider;
        try {
            provider = providers.require(name);
        } catch (SettingsException e) {
            throw e.under(at);
        }
        AlertChannel channel;
        try {
            channel = provider.create(vertx, section);
        } catch (SettingsException e) {
            throw within(e, at);
        } catch (RuntimeException e) {
            throw new SettingsException(at, "the '" + name + "' channel refused its settings: " + e.getMessage());
        }
        if (channel == null) {
            throw new SettingsException(at, "the '" + name + "' channel's provider made no channel");
        }
        return channel;
    }

    /**
     * Every channel of {@code channels}, the section that names them ({@code alerts.channels}): channel name →
     * its settings (an empty value, as YAML's {@code log:}, is no settings). When one cannot be made, those
     * made already are closed and the {@link SettingsException} is thrown.
     */
    public AlertChannels open(Vertx vertx, Settings channels) {
        Map<String, AlertChannel> made = new LinkedHashMap<>();
        try {
            for (String name : channels.names()) {
                Object settings = channels.value(name);
                if (settings != null && !(settings instanceof JsonObject)) {
                    throw channels.problem(
                            name,
                            "expected the settings of the '" + name + "' channel, as in " + channels.key(name)
                                    + ": { ... }, got " + settings);
                }
                made.put(name, create(name, vertx, channels.under(name)));
            }
        } catch (RuntimeException e) {
            AlertChannels.of(vertx, made).close();
            throw e;
        }
        return AlertChannels.of(vertx, made);
    }

    /** {@code e} as it is when its key is in the section at {@code prefix}, else placed under that section. */
    private static SettingsException within(SettingsException e, String prefix) {
        String key = e.key();
        boolean inside =
                prefix.isEmpty() || key.equals(prefix) || key.startsWith(prefix + ".") || key.startsWith(prefix + "[");
        return inside ? e : e.under(prefix);
    }
}
