package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The known {@link AlertChannelProvider}s, by name. Filled from {@link ServiceLoader} and by explicit
 * {@link #register registration}; an explicitly registered provider replaces a loaded one of the same
 * name. Thread-safe.
 */
public final class AlertChannelRegistry {

    /** Where the channels' sections are in the configuration. */
    public static final String CONFIG_KEY = "alerts.channels";

    private final Map<String, AlertChannelProvider> byName = new ConcurrentHashMap<>();

    private AlertChannelRegistry() {}

    /** A registry with no providers. */
    public static AlertChannelRegistry empty() {
        return new AlertChannelRegistry();
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through this class's loader. */
    public static AlertChannelRegistry fromServiceLoader() {
        return fromServiceLoader(AlertChannelRegistry.class.getClassLoader());
    }

    /** A registry holding every provider that {@link ServiceLoader} finds through {@code loader}. */
    public static AlertChannelRegistry fromServiceLoader(ClassLoader loader) {
        AlertChannelRegistry registry = new AlertChannelRegistry();
        ServiceLoader.load(AlertChannelProvider.class, loader).forEach(registry::register);
        return registry;
    }

    /** Adds {@code provider}, replacing any provider of the same name. */
    public AlertChannelRegistry register(AlertChannelProvider provider) {
        Objects.requireNonNull(provider, "provider");
        byName.put(provider.name(), provider);
        return this;
    }

    /** The provider named {@code name}, if one is known. */
    public Optional<AlertChannelProvider> find(String name) {
        return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name")));
    }

    /** The names of the known channels, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /**
     * The channel named {@code name}, configured by {@code config}, its section (empty for no settings).
     *
     * @throws SettingsException at {@code alerts.channels.NAME} for an unknown name (the message lists the
     *                         known ones) or under it for a bad setting
     */
    public AlertChannel create(String name, Vertx vertx, JsonObject config) {
        String at = CONFIG_KEY + "." + name;
        AlertChannelProvider provider = find(name)
                .orElseThrow(
                        () -> new SettingsException(at, "unknown alert channel '" + name + "'; known: " + known()));
        AlertChannel channel;
        try {
            channel = provider.create(
                    vertx, Objects.requireNonNull(config, "config").copy());
        } catch (SettingsException e) {
            throw e.under(at);
        } catch (RuntimeException e) {
            throw new SettingsException(at, "the '" + name + "' channel refused its settings: " + e.getMessage());
        }
        if (channel == null) {
            throw new SettingsException(at, "the '" + name + "' channel's provider made no channel");
        }
        return channel;
    }

    /**
     * Every channel of {@code channels}, the {@code alerts.channels} section: channel name → its settings
     * (an empty value, as YAML's {@code log:}, is no settings).
     * When one cannot be made, those made already are closed and the {@link SettingsException} is thrown.
     */
    public AlertChannels open(Vertx vertx, JsonObject channels) {
        Map<String, AlertChannel> made = new LinkedHashMap<>();
        try {
            for (String name : channels.fieldNames()) {
                Object settings = channels.getValue(name);
                if (settings != null && !(settings instanceof JsonObject)) {
                    throw new SettingsException(
                            CONFIG_KEY + "." + name,
                            "expected the settings of the '" + name + "' channel, as in " + CONFIG_KEY + "." + name
                                    + ": { ... }, got " + settings);
                }
                made.put(name, create(name, vertx, settings == null ? new JsonObject() : (JsonObject) settings));
            }
        } catch (RuntimeException e) {
            AlertChannels.of(vertx, made).close();
            throw e;
        }
        return AlertChannels.of(vertx, made);
    }

    private String known() {
        SortedSet<String> names = names();
        return names.isEmpty() ? "(none; is tollgate-alerting on the classpath?)" : String.join(", ", names);
    }
}
