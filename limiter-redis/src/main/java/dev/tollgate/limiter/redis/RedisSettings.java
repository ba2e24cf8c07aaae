package dev.tollgate.limiter.redis;

import dev.tollgate.plugin.Durations;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;

/**
 * The Redis backend's settings, read from {@link dev.tollgate.limiter.LimiterOptions#config()}
 * ({@code limiter.redis} in the configuration file). Every key is optional; durations are written
 * as {@code 500ms}, {@code 2s}, … or as a number of milliseconds. Two limiters with equal settings on
 * one Vert.x instance share one connection pool and one circuit breaker.
 *
 * @param url              the server, {@code redis://[user:password@]host[:port][/database]}
 * @param keyPrefix        the start of every key this backend writes
 * @param poolSize         the most connections to the server
 * @param poolWaiting      the most decisions waiting for a free connection
 * @param connectTimeout   how long connecting may take
 * @param timeout          how long a decision may take, connecting included, before it fails
 * @param breakerFailures  consecutive failures that open the circuit breaker
 * @param breakerCooldown  how long an open breaker fails decisions at once before it probes again
 * @param expiryGrace      added to every key's expiry, beyond the time its state is spent
 */
record RedisSettings(
        String url,
        String keyPrefix,
        int poolSize,
        int poolWaiting,
        Duration connectTimeout,
        Duration timeout,
        int breakerFailures,
        Duration breakerCooldown,
        Duration expiryGrace) {

    static final String DEFAULT_URL = "redis://127.0.0.1:6379";
    static final String DEFAULT_KEY_PREFIX = "tollgate";

    private static final Set<String> KEYS = Set.of(
            "url",
            "keyPrefix",
            "poolSize",
            "poolWaiting",
            "connectTimeout",
            "timeout",
            "breakerFailures",
            "breakerCooldown",
            "expiryGrace");

    /** Reads {@code config}, rejecting unknown keys and bad values with a message naming the key. */
    static RedisSettings from(JsonObject config) {
        for (String key : config.fieldNames()) {
            if (!KEYS.contains(key)) {
                throw invalid(
                        key,
                        "unknown key; known: "
                                + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        String url = text(config, "url", DEFAULT_URL);
        checkUrl(url);
        String keyPrefix = text(config, "keyPrefix", DEFAULT_KEY_PREFIX);
        if (keyPrefix.isEmpty() || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
            throw invalid(
                    "keyPrefix",
                    "must be non-empty and free of '{' and '}' (they mark the cluster hash tag), got '" + keyPrefix
                            + "'");
        }
        return new RedisSettings(
                url,
                keyPrefix,
                count(config, "poolSize", 8),
                count(config, "poolWaiting", 4096),
                duration(config, "connectTimeout", Duration.ofSeconds(1)),
                duration(config, "timeout", Duration.ofSeconds(2)),
                count(config, "breakerFailures", 5),
                duration(config, "breakerCooldown", Duration.ofSeconds(2)),
                duration(config, "expiryGrace", Duration.ofSeconds(1)));
    }

    /** The URL without its password, for messages. */
    String safeUrl() {
        try {
            URI uri = new URI(url);
            if (uri.getUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), "***", uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return "(unparsable url)";
        }
    }

    private static void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("url", "not a URL: " + e.getMessage() + "; expected redis://host:port");
        }
        if ((!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) || uri.getHost() == null) {
            throw invalid("url", "expected redis://host:port or rediss://host:port, got '" + url + "'");
        }
    }

    private static String text(JsonObject config, String key, String fallback) {
        Object value = config.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw invalid(key, "expected text, got " + value);
        }
        return text.trim();
    }

    private static int count(JsonObject config, String key, int fallback) {
        Object value = config.getValue(key);
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = value instanceof Number number && number.doubleValue() == number.longValue()
                    ? number.longValue()
                    : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, "expected a whole number, got " + value);
        }
        if (parsed < 1 || parsed > 1_000_000) {
            throw invalid(key, "must be between 1 and 1000000, got " + value);
        }
        return (int) parsed;
    }

    private static Duration duration(JsonObject config, String key, Duration fallback) {
        Object value = config.getValue(key);
        if (value == null) {
            return fallback;
        }
        Duration parsed;
        if (value instanceof Number number) {
            if (number.doubleValue() != number.longValue() || number.longValue() < 1) {
                throw invalid(
                        key, "expected a positive whole number of milliseconds or a duration like 500ms, got " + value);
            }
            parsed = Duration.ofMillis(number.longValue());
        } else {
            try {
                parsed = Durations.parse(value.toString());
            } catch (IllegalArgumentException e) {
                throw invalid(key, e.getMessage());
            }
        }
        if (parsed.toMillis() < 1) {
            throw invalid(key, "must be at least 1ms, got " + Durations.format(parsed));
        }
        return parsed;
    }

    private static IllegalArgumentException invalid(String key, String why) {
        return new IllegalArgumentException("redis backend setting '" + key + "': " + why);
    }
}
