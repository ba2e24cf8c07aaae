package dev.tollgate.alerting;

import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one section of a channel's settings, checking each value: every problem is a
 * {@link SettingsException} naming the key within the channel's section ({@code smtp.port}).
 */
final class ChannelSettings {

    private final JsonObject json;
    private final String prefix;

    private ChannelSettings(JsonObject json, String prefix) {
        this.json = json;
        this.prefix = prefix;
    }

    /** The top of a channel's section, which may hold only {@code known} keys. */
    static ChannelSettings of(JsonObject json, String channel, Set<String> known) {
        ChannelSettings settings = new ChannelSettings(json == null ? new JsonObject() : json, "");
        settings.onlyKnown(channel, known);
        return settings;
    }

    /** The group at {@code key} (empty when absent), which may hold only {@code known} keys. */
    ChannelSettings group(String key, String what, Set<String> known) {
        Object value = json.getValue(key);
        if (value != null && !(value instanceof JsonObject)) {
            throw new SettingsException(
                    path(key), "expected a group of keys such as " + key + ": { ... }, got " + value);
        }
        ChannelSettings group = new ChannelSettings(value == null ? new JsonObject() : (JsonObject) value, path(key));
        group.onlyKnown(what, known);
        return group;
    }

    Optional<String> text(String key) {
        Object value = json.getValue(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            String text = String.valueOf(value).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        }
        throw new SettingsException(path(key), "expected text, got " + value);
    }

    String requiredText(String key, String example) {
        return text(key).orElseThrow(() -> new SettingsException(path(key), "required, as in " + key + ": " + example));
    }

    int port(String key, int defaultPort) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(text.get());
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SettingsException(path(key), "expected a port between 1 and 65535, got '" + text.get() + "'");
    }

    boolean bool(String key, boolean defaultValue) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String lower = text.get().toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return Boolean.parseBoolean(lower);
        }
        throw new SettingsException(path(key), "expected true or false, got '" + text.get() + "'");
    }

    Duration duration(String key, Duration defaultValue) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return Durations.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(path(key), e.getMessage());
        }
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, text.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name());
            }
            throw new SettingsException(
                    path(key), "expected one of " + String.join(", ", names) + ", got '" + text.get() + "'");
        }
    }

    /** A list of text entries; a single text is a list of one, a comma-separated text a list of its parts. */
    List<String> list(String key) {
        Object value = json.getValue(key);
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        if (value instanceof JsonArray array) {
            for (Object item : array) {
                if (!(item instanceof String entry) || entry.isBlank()) {
                    throw new SettingsException(path(key), "expected a list of text entries, got " + item);
                }
                items.add(entry.trim());
            }
            return items;
        }
        if (value instanceof String text) {
            for (String part : text.split(",", -1)) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
            return items;
        }
        throw new SettingsException(path(key), "expected a list such as [a, b], got " + value);
    }

    /** A group of text values, in their order. */
    Map<String, String> texts(String key) {
        Object value = json.getValue(key);
        Map<String, String> texts = new LinkedHashMap<>();
        if (value == null) {
            return texts;
        }
        if (!(value instanceof JsonObject group)) {
            throw new SettingsException(
                    path(key),
                    "expected a group of names and values such as " + key + ": { Name: value }, got " + value);
        }
        for (String name : group.fieldNames()) {
            Object item = group.getValue(name);
            if (!(item instanceof String) && !(item instanceof Number) && !(item instanceof Boolean)) {
                throw new SettingsException(path(key) + "." + name, "expected text, got " + item);
            }
            texts.put(name, String.valueOf(item));
        }
        return texts;
    }

    private void onlyKnown(String what, Set<String> known) {
        Set<String> unknown = new TreeSet<>(json.fieldNames());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new SettingsException(
                    path(first),
                    "unknown setting of the " + what + "; known: " + String.join(", ", new TreeSet<>(known)));
        }
    }

    private String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
