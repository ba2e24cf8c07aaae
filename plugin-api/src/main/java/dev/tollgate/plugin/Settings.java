package dev.tollgate.plugin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One section of a configuration, read with checks: Tollgate's own settings and every plugin's.
 *
 * <p>A {@code Settings} knows where it is ({@link #prefix()}: {@code alerts.channels.email}), so every
 * problem it finds is a {@link SettingsException} naming the full key ({@code
 * alerts.channels.email.smtp.port: expected a port between 1 and 65535, got '0'}). A plugin is handed its
 * own section and reads it without knowing where that section is in the file.
 *
 * <p>Absent keys and {@code null} values (YAML's {@code key:}) take the default each getter is given. Text
 * getters accept numbers and booleans as text; number getters accept text holding a number, with {@code _}
 * as a digit separator, because environment variables are text. Instances are immutable views: reading
 * never changes the JSON they were made from.
 */
public final class Settings {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.\\-]*[A-Za-z0-9])?|[0-9A-Fa-f:.]+");

    private final String prefix;
    private final JsonObject json;

    private Settings(String prefix, JsonObject json) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.json = json == null ? new JsonObject() : json;
    }

    /** The whole configuration {@code json}: keys are named from the top ({@code http.port}). */
    public static Settings of(JsonObject json) {
        return new Settings("", json);
    }

    /** The section {@code json}, found at {@code prefix} ({@code events.postgres}) in the configuration. */
    public static Settings of(String prefix, JsonObject json) {
        return new Settings(prefix, json);
    }

    /** A section at {@code prefix} with no settings: every getter answers its default. */
    public static Settings empty(String prefix) {
        return new Settings(prefix, new JsonObject());
    }

    /** Where this section is in the configuration; empty at the top. */
    public String prefix() {
        return prefix;
    }

    /** The full key of {@code name} in this section: {@code events.postgres.url}. */
    public String key(String name) {
        return join(prefix, name);
    }

    /** A copy of the section's JSON. */
    public JsonObject json() {
        return json.copy();
    }

    /** The keys present in this section, in their order. */
    public Set<String> names() {
        return new LinkedHashSet<>(json.fieldNames());
    }

    /** Whether {@code name} is present with a value that is not {@code null}. */
    public boolean has(String name) {
        return json.getValue(name) != null;
    }

    /** The raw value of {@code name} (a String, Number, Boolean, JsonObject or JsonArray), or {@code null}. */
    public Object value(String name) {
        return json.getValue(name);
    }

    /** A problem with the setting {@code name}, for a check the getters do not make. */
    public SettingsException problem(String name, String problem) {
        return new SettingsException(key(name), problem);
    }

    /**
     * Refuses a key that is not one of {@code known}, most likely a typo: the first unknown key (in sorted
     * order) is named, with the known ones.
     *
     * @param what what the section configures, for the message: {@code email channel}
     * @return this section
     */
    public Settings requireOnly(String what, Collection<String> known) {
        Set<String> unknown = new TreeSet<>(json.fieldNames());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw problem(
                    unknown.iterator().next(),
                    "unknown setting of the " + what + "; known: " + String.join(", ", new TreeSet<>(known)));
        }
        return this;
    }

    /** The group at {@code name}: an empty section when absent, a problem when it is not a group of keys. */
    public Settings under(String name) {
        Object value = json.getValue(name);
        if (value == null) {
            return empty(key(name));
        }
        if (value instanceof JsonObject group) {
            return new Settings(key(name), group);
        }
        throw problem(name, "expected a group of keys such as " + name + ": { ... }, got " + value);
    }

    /** The list of groups at {@code name} ({@code rules}), each a section named with its index ({@code rules[2]}). */
    public List<Settings> groups(String name, String example) {
        Object value = json.getValue(name);
        List<Settings> groups = new ArrayList<>();
        if (value == null) {
            return groups;
        }
        if (!(value instanceof JsonArray array)) {
            throw problem(name, "expected a list, as in " + name + ": [ " + example + " ]");
        }
        for (int i = 0; i < array.size(); i++) {
            String at = key(name) + "[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject group)) {
                throw new SettingsException(at, "expected a group of keys such as " + example);
            }
            groups.add(new Settings(at, group));
        }
        return groups;
    }

    /** The text at {@code name}, trimmed; empty when absent or blank. */
    public Optional<String> text(String name) {
        Object value = json.getValue(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            String text = String.valueOf(value).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        }
        throw problem(name, "expected text, got " + value);
    }

    /** The text at {@code name}, or {@code defaultValue}. */
    public String text(String name, String defaultValue) {
        return text(name).orElse(defaultValue);
    }

    /** The text at {@code name}; its absence is a problem whose message shows {@code example}. */
    public String requiredText(String name, String example) {
        return text(name).orElseThrow(() -> problem(name, "required, as in " + name + ": " + example));
    }

    /** The whole number at {@code name}, at least {@code min} and at most {@code max}, or {@code defaultValue}. */
    public long whole(String name, long defaultValue, long min, long max) {
        Optional<Long> value = whole(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        long number = value.get();
        if (number < min || number > max) {
            throw problem(name, "expected " + range(min, max) + ", got " + number);
        }
        return number;
    }

    /** The whole number at {@code name}, if present. */
    public Optional<Long> whole(String name) {
        Object value = json.getValue(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Number number && isWhole(number)) {
            return Optional.of(number.longValue());
        }
        if (value instanceof String text) {
            try {
                return Optional.of(Long.parseLong(text.trim().replace("_", "")));
            } catch (NumberFormatException e) {
                // the message below says what was expected
            }
        }
        throw problem(name, "expected a whole number, got '" + value + "'");
    }

    /** The TCP port at {@code name} (1 to 65535), or {@code defaultPort}. */
    public int port(String name, int defaultPort) {
        return port(name, defaultPort, 1);
    }

    /** The TCP port at {@code name} ({@code lowest}, 0 or 1, to 65535), or {@code defaultPort}. */
    public int port(String name, int defaultPort, int lowest) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(text.get().replace("_", ""));
            if (port >= lowest && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw problem(name, "expected a port between " + lowest + " and 65535, got '" + text.get() + "'");
    }

    /** The finite number at {@code name}, or {@code defaultValue}. */
    public double number(String name, double defaultValue) {
        Object value = json.getValue(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            return number.doubleValue();
        }
        try {
            double number = Double.parseDouble(String.valueOf(value).trim().replace("_", ""));
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw problem(name, "expected a number, got '" + value + "'");
    }

    /** {@code true} or {@code false} (in any case) at {@code name}, or {@code defaultValue}. */
    public boolean bool(String name, boolean defaultValue) {
        Object value = json.getValue(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw problem(name, "expected true or false, got '" + value + "'");
    }

    /** The positive duration at {@code name}, as {@link Durations#parse} reads it, if present. */
    public Optional<Duration> duration(String name) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(text.get()));
        } catch (IllegalArgumentException e) {
            throw problem(name, e.getMessage());
        }
    }

    /** The positive duration at {@code name}, or {@code defaultValue}. */
    public Duration duration(String name, Duration defaultValue) {
        return duration(name).orElse(defaultValue);
    }

    /** The size in bytes at {@code name}, as {@link Sizes#bytes} reads it ({@code 64mb}, {@code 25%}), if present. */
    public Optional<Long> size(String name) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Sizes.bytes(text.get()));
        } catch (IllegalArgumentException e) {
            throw problem(name, e.getMessage());
        }
    }

    /** The size in bytes at {@code name}, or {@code defaultValue}. */
    public long size(String name, long defaultValue) {
        return size(name).orElse(defaultValue);
    }

    /**
     * One of {@code choices} at {@code name}, lower-cased, or {@code defaultValue}; anything else is a problem
     * listing the choices.
     */
    public String choice(String name, Collection<String> choices, String defaultValue) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String chosen = text.get().toLowerCase(Locale.ROOT);
        if (!choices.contains(chosen)) {
            throw problem(name, "expected one of " + String.join(", ", choices) + ", got '" + text.get() + "'");
        }
        return chosen;
    }

    /**
     * The constant of {@code type} named at {@code name}, in any case and with {@code -} for {@code _}
     * ({@code round-robin} is {@code ROUND_ROBIN}), or {@code defaultValue}.
     */
    public <E extends Enum<E>> E choice(String name, Class<E> type, E defaultValue) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String wanted = text.get().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        throw problem(name, "expected one of " + String.join(", ", names) + ", got '" + text.get() + "'");
    }

    /**
     * The list of text entries at {@code name}: a YAML list, or one text of comma-separated entries (as an
     * environment variable gives it); empty when absent.
     */
    public List<String> list(String name) {
        Object value = json.getValue(name);
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        if (value instanceof JsonArray array) {
            for (Object item : array) {
                if (!(item instanceof String || item instanceof Number)
                        || String.valueOf(item).isBlank()) {
                    throw problem(name, "expected a list of text entries, got " + item);
                }
                items.add(String.valueOf(item).trim());
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
        throw problem(name, "expected a list such as [a, b], got " + value);
    }

    /** The group of names and text values at {@code name} ({@code headers: { X-Team: ops }}), in their order. */
    public Map<String, String> texts(String name) {
        Object value = json.getValue(name);
        Map<String, String> texts = new LinkedHashMap<>();
        if (value == null) {
            return texts;
        }
        if (!(value instanceof JsonObject group)) {
            throw problem(
                    name, "expected a group of names and values such as " + name + ": { Name: value }, got " + value);
        }
        for (String field : group.fieldNames()) {
            Object item = group.getValue(field);
            if (!(item instanceof String) && !(item instanceof Number) && !(item instanceof Boolean)) {
                throw new SettingsException(key(name) + "." + field, "expected text, got " + item);
            }
            texts.put(field, String.valueOf(item));
        }
        return texts;
    }

    /** The {@code http://} or {@code https://} URL with a host at {@code name}, if present. */
    public Optional<URI> url(String name) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.of(uri);
            }
            throw problem(name, "expected an http:// or https:// URL with a host, got '" + text.get() + "'");
        } catch (URISyntaxException e) {
            throw problem(name, "not a URL: '" + text.get() + "'");
        }
    }

    /**
     * The host name or IP address at {@code name} ({@code smtp.example.com}, {@code 10.0.0.7}, {@code ::1}),
     * checked for its form only (no name is looked up), or {@code defaultValue}.
     */
    public String host(String name, String defaultValue) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String host = text.get();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.length() > 253 || !HOST.matcher(bare).matches()) {
            throw problem(name, "expected a host name or an IP address, got '" + host + "'");
        }
        return bare;
    }

    /** {@code prefix} and {@code key} joined: with a dot, or directly before a list index; either may be empty. */
    static String join(String prefix, String key) {
        if (prefix.isEmpty()) {
            return key;
        }
        if (key.isEmpty()) {
            return prefix;
        }
        return key.startsWith("[") ? prefix + key : prefix + "." + key;
    }

    private static boolean isWhole(Number number) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return true;
        }
        double value = number.doubleValue();
        return value == Math.rint(value) && Math.abs(value) < 0x1p63;
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE) {
            return "a whole number of at least " + min;
        }
        if (min == Long.MIN_VALUE) {
            return "a whole number of at most " + max;
        }
        return "a whole number between " + min + " and " + max;
    }

    @Override
    public String toString() {
        return (prefix.isEmpty() ? "(top)" : prefix) + " " + json.encode();
    }
}
