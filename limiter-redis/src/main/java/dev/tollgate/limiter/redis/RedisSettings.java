package dev.tollgate.limiter.redis;

import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;

/**
 * The Redis backend's settings, read from {@link dev.tollgate.limiter.LimiterOptions#settings()} (the
 * application's {@code limiter.redis}). Every key is optional; durations are written as {@code 500ms},
 * {@code 2s}, … or as a number of milliseconds. Two limiters with equal settings on one Vert.x instance share
 * one connection pool and one circuit breaker.
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
 * @param batch            the most decisions sent in one call of a script; 1 sends each decision alone
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
        Duration expiryGrace,
        int batch) {

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
            "expiryGrace",
            "batch",
            // read by Leasing
            "mode",
            "lease");

    private static final int MAX_COUNT = 1_000_000;

    /** The most decisions in one call: a script runs alone in Redis, and a long one holds up every other client. */
    static final int MAX_BATCH = 1_000;

    /**
     * Reads {@code settings}.
     *
     * @throws SettingsException for an unknown key or a bad value, naming the key in full
     */
    static RedisSettings from(Settings settings) {
        settings.requireOnly("redis limiter backend", KEYS);
        String url = text(settings, "url", DEFAULT_URL);
        checkUrl(settings, url);
        String keyPrefix = text(settings, "keyPrefix", DEFAULT_KEY_PREFIX);
        if (keyPrefix.isEmpty() || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
            throw settings.problem(
                    "keyPrefix",
                    "must be non-empty and free of '{' and '}' (they mark the cluster hash tag), got '" + keyPrefix
                            + "'");
        }
        return new RedisSettings(
                url,
                keyPrefix,
                (int) settings.whole("poolSize", 8, 1, MAX_COUNT),
                (int) settings.whole("poolWaiting", 4096, 1, MAX_COUNT),
                duration(settings, "connectTimeout", Duration.ofSeconds(1)),
                duration(settings, "timeout", Duration.ofSeconds(2)),
                (int) settings.whole("breakerFailures", 5, 1, MAX_COUNT),
                duration(settings, "breakerCooldown", Duration.ofSeconds(2)),
                duration(settings, "expiryGrace", Duration.ofSeconds(1)),
                (int) settings.whole("batch", 64, 1, MAX_BATCH));
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

    private static void checkUrl(Settings settings, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw settings.problem("url", "not a URL: " + e.getMessage() + "; expected redis://host:port");
        }
        if ((!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) || uri.getHost() == null) {
            throw settings.problem("url", "expected redis://host:port or rediss://host:port, got '" + url + "'");
        }
    }

    /** The text at {@code name}, or {@code defaultValue} when absent: present but blank is a mistake, not a default. */
    private static String text(Settings settings, String name, String defaultValue) {
        return settings.has(name) ? settings.text(name).orElse("") : defaultValue;
    }

    /** A duration as {@link Settings#duration} reads it, or a bare number of milliseconds (YAML's {@code 250}). */
    private static Duration duration(Settings settings, String name, Duration defaultValue) {
        Duration parsed;
        if (settings.value(name) instanceof Number number) {
            if (number.doubleValue() != number.longValue() || number.longValue() < 1) {
                throw settings.problem(
                        name,
                        "expected a positive whole number of milliseconds or a duration like 500ms, got " + number);
            }
            parsed = Duration.ofMillis(number.longValue());
        } else {
            parsed = settings.duration(name, defaultValue);
        }
        if (parsed.toMillis() < 1) {
            throw settings.problem(name, "must be at least 1ms, got " + Durations.format(parsed));
        }
        return parsed;
    }
}
