package dev.tollgate.core;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One rate-limit rule: which requests it covers, whom it counts them against, and the limit.
 *
 * @param name     unique name; events and metrics carry it
 * @param path     the paths covered, matched against the {@link RequestPath normalized} path
 * @param methods  the methods covered, upper case; empty covers every method
 * @param key      the key kind and argument, as in {@code ip} or {@code header:X-API-Key}
 * @param limit    the limit, algorithm included
 * @param priority which rule names an allowed request's event and headers: the highest wins
 * @param shadow   a shadow rule counts and records but never blocks
 * @param enabled  a disabled rule is ignored
 */
public record Rule(
        String name,
        PathPattern path,
        Set<String> methods,
        String key,
        LimitSpec limit,
        int priority,
        boolean shadow,
        boolean enabled) {

    /** The algorithm of a rule that names none. */
    public static final String DEFAULT_ALGORITHM = "sliding-window-counter";

    private static final Set<String> FIELDS = Set.of(
            "name",
            "path",
            "methods",
            "key",
            "algorithm",
            "limit",
            "window",
            "burst",
            "cost",
            "priority",
            "shadow",
            "enabled",
            "ignoreCase");

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(limit, "limit");
        methods = Set.copyOf(methods);
        if (name.isBlank()) {
            throw new IllegalArgumentException("a rule needs a name");
        }
    }

    /** Whether the rule covers a request with this method and path. */
    public boolean covers(String method, String path) {
        return enabled && (methods.isEmpty() || methods.contains(method)) && this.path.matches(path);
    }

    /**
     * Reads a rule from configuration.
     *
     * @throws SettingsException naming the field ({@code limit}, {@code window}, …) and the problem
     */
    public static Rule fromJson(JsonObject json) {
        for (String field : json.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new SettingsException(
                        field, "unknown rule field; known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        String name = string(json, "name", null);
        if (name == null || name.isBlank()) {
            throw new SettingsException("name", "every rule needs a name");
        }
        PathPattern path;
        try {
            path = PathPattern.parse(string(json, "path", "/*"), bool(json, "ignoreCase", false));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("path", e.getMessage());
        }
        String algorithm = string(json, "algorithm", DEFAULT_ALGORITHM);
        long limit = number(json, "limit", null);
        Duration window = duration(json, "window");
        long burst = number(json, "burst", limit);
        long cost = number(json, "cost", 1L);
        LimitSpec spec;
        try {
            spec = new LimitSpec(algorithm, limit, window, burst, cost);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String field = message.startsWith("burst")
                    ? "burst"
                    : message.startsWith("cost")
                            ? "cost"
                            : message.startsWith("window")
                                    ? "window"
                                    : message.startsWith("algorithm") ? "algorithm" : "limit";
            throw new SettingsException(field, message);
        }
        return new Rule(
                name.trim(),
                path,
                methods(json),
                string(json, "key", "ip").trim(),
                spec,
                (int) number(json, "priority", 0L),
                bool(json, "shadow", false),
                bool(json, "enabled", true));
    }

    /** The rule as configuration, readable by {@link #fromJson}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("name", name)
                .put("path", path.toString())
                .put("ignoreCase", path.ignoreCase())
                .put("methods", new JsonArray(new ArrayList<>(methods)))
                .put("key", key)
                .put("algorithm", limit.algorithm())
                .put("limit", limit.limit())
                .put("window", Durations.format(limit.window()))
                .put("burst", limit.burst())
                .put("cost", limit.cost())
                .put("priority", priority)
                .put("shadow", shadow)
                .put("enabled", enabled);
    }

    private static Set<String> methods(JsonObject json) {
        Object value = json.getValue("methods");
        List<Object> items = new ArrayList<>();
        if (value instanceof JsonArray array) {
            array.forEach(items::add);
        } else if (value instanceof String text) {
            String[] parts = text.split(",", -1);
            int end = parts.length;
            // where there is a comma, trailing empty parts are dropped as before: "GET," is [GET], "," is []
            while (parts.length > 1 && end > 0 && parts[end - 1].isEmpty()) {
                end--;
            }
            items.addAll(Arrays.asList(parts).subList(0, end));
        } else if (value != null) {
            throw new SettingsException("methods", "expected a list of HTTP methods such as [GET, POST], got " + value);
        }
        Set<String> methods = new LinkedHashSet<>();
        for (Object item : items) {
            if (!(item instanceof String method) || !method.trim().matches("[A-Za-z]{1,10}")) {
                throw new SettingsException("methods", "'" + item + "' is not an HTTP method");
            }
            methods.add(method.trim().toUpperCase(Locale.ROOT));
        }
        return methods;
    }

    private static String string(JsonObject json, String field, String fallback) {
        Object value = json.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw new SettingsException(field, "expected text, got " + value);
        }
        return text;
    }

    private static long number(JsonObject json, String field, Long fallback) {
        Object value = json.getValue(field);
        if (value == null) {
            if (fallback == null) {
                throw new SettingsException(field, "missing; every rule needs a " + field);
            }
            return fallback;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new SettingsException(field, "expected a whole number, got " + value);
    }

    private static boolean bool(JsonObject json, String field, boolean fallback) {
        Object value = json.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(text);
        }
        throw new SettingsException(field, "expected true or false, got " + value);
    }

    private static Duration duration(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw new SettingsException(field, "missing; every rule needs a window such as 1m");
        }
        if (value instanceof Number number && number.longValue() > 0 && number.doubleValue() == number.longValue()) {
            return Duration.ofSeconds(number.longValue());
        }
        try {
            return Durations.parse(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(field, e.getMessage());
        }
    }
}
