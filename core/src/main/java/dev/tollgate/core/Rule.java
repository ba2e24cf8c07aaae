package dev.tollgate.core;

import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
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
     * Reads a rule from configuration: {@code json} is the rule alone, so problems name the field
     * ({@code limit: ...}).
     *
     * @throws SettingsException naming the field ({@code limit}, {@code window}, …) and the problem
     */
    public static Rule fromJson(JsonObject json) {
        return from(Settings.of(json));
    }

    /**
     * Reads a rule from its section of the configuration; problems name the full key
     * ({@code rules[2].window: ...}).
     *
     * @throws SettingsException naming the key and the problem
     */
    public static Rule from(Settings rule) {
        rule.requireOnly("rule", FIELDS);
        String name = rule.text("name").orElseThrow(() -> rule.problem("name", "every rule needs a name"));
        PathPattern path;
        try {
            path = PathPattern.parse(rule.text("path", "/*"), rule.bool("ignoreCase", false));
        } catch (IllegalArgumentException e) {
            throw rule.problem("path", e.getMessage());
        }
        long limit = rule.whole("limit").orElseThrow(() -> rule.problem("limit", "missing; every rule needs a limit"));
        String algorithm = rule.text("algorithm", DEFAULT_ALGORITHM);
        Duration window = window(rule);
        long burst = rule.whole("burst").orElse(limit);
        long cost = rule.whole("cost").orElse(1L);
        LimitSpec spec;
        try {
            spec = new LimitSpec(algorithm, limit, window, burst, cost);
        } catch (SettingsException e) {
            // the limit's own checks name its field: burst, cost, ...
            throw e.under(rule.prefix());
        }
        return new Rule(
                name,
                path,
                methods(rule),
                rule.text("key", "ip"),
                spec,
                (int) rule.whole("priority", 0, Integer.MIN_VALUE, Integer.MAX_VALUE),
                rule.bool("shadow", false),
                rule.bool("enabled", true));
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

    private static Set<String> methods(Settings rule) {
        Object value = rule.value("methods");
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
            throw rule.problem("methods", "expected a list of HTTP methods such as [GET, POST], got " + value);
        }
        Set<String> methods = new LinkedHashSet<>();
        for (Object item : items) {
            if (!(item instanceof String method) || !method.trim().matches("[A-Za-z]{1,10}")) {
                throw rule.problem("methods", "'" + item + "' is not an HTTP method");
            }
            methods.add(method.trim().toUpperCase(Locale.ROOT));
        }
        return methods;
    }

    /** The window: a duration, or a whole number of seconds as rules have always allowed. */
    private static Duration window(Settings rule) {
        Object value = rule.value("window");
        if (value == null) {
            throw rule.problem("window", "missing; every rule needs a window such as 1m");
        }
        if (value instanceof Number number && number.longValue() > 0 && number.doubleValue() == number.longValue()) {
            return Duration.ofSeconds(number.longValue());
        }
        return rule.duration("window")
                .orElseThrow(() -> rule.problem("window", "missing; every rule needs a window such as 1m"));
    }
}
