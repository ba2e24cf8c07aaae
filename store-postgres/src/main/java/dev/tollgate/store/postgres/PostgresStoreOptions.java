package dev.tollgate.store.postgres;

import dev.tollgate.events.EventStoreException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to reach the database of a PostgreSQL event store, read from the {@code events.postgres} section of
 * the configuration with {@link #fromJson} or built by code.
 *
 * @param url            {@code postgresql://user[:password]@host[:port]/database}
 * @param poolSize       the most connections the store holds open, at least 1
 * @param schema         the schema of the store's tables, created when missing; a plain SQL identifier
 * @param connectTimeout how long to wait for a connection to the server before failing; a call waits at most
 *                       twice as long for a free pooled connection
 */
public record PostgresStoreOptions(String url, int poolSize, String schema, Duration connectTimeout) {

    /** The database when no {@code url} is configured. */
    public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/tollgate";
    /** The pool size when none is configured. */
    public static final int DEFAULT_POOL_SIZE = 4;
    /** The schema when none is configured. */
    public static final String DEFAULT_SCHEMA = "public";
    /** The connect timeout when none is configured. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

    /**
     * Checks every setting.
     *
     * @throws EventStoreException naming the setting and what would be valid
     */
    public PostgresStoreOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        connectOptions(url);
        if (poolSize < 1) {
            throw new EventStoreException("postgres store: 'poolSize' must be at least 1, got " + poolSize);
        }
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new EventStoreException("postgres store: 'schema' must be a lower-case SQL identifier"
                    + " (letters, digits, _; at most 63 characters), got '" + schema + "'");
        }
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || connectTimeout.toMillis() > Integer.MAX_VALUE / 2) {
            throw new EventStoreException(
                    "postgres store: 'connectTimeout' must be positive, such as 5s, got " + connectTimeout);
        }
    }

    /** The defaults: the local server's {@code tollgate} database, 4 connections, schema {@code public}, 5 s. */
    public static PostgresStoreOptions defaults() {
        return new PostgresStoreOptions(DEFAULT_URL, DEFAULT_POOL_SIZE, DEFAULT_SCHEMA, DEFAULT_CONNECT_TIMEOUT);
    }

    /** These options with another {@link #url()}. */
    public PostgresStoreOptions withUrl(String url) {
        return new PostgresStoreOptions(url, poolSize, schema, connectTimeout);
    }

    /** These options with another {@link #schema()}. */
    public PostgresStoreOptions withSchema(String schema) {
        return new PostgresStoreOptions(url, poolSize, schema, connectTimeout);
    }

    /**
     * Reads {@code url}, {@code poolSize}, {@code schema} and {@code connectTimeout} (milliseconds as a number,
     * or text such as {@code 500ms}, {@code 5s}, {@code 1m}, {@code PT5S}); an absent key takes its default.
     *
     * @throws EventStoreException naming the key that is wrong and what would be valid
     */
    public static PostgresStoreOptions fromJson(JsonObject config) {
        JsonObject json = config == null ? new JsonObject() : config;
        return new PostgresStoreOptions(
                text(json, "url", DEFAULT_URL),
                integer(json, "poolSize", DEFAULT_POOL_SIZE),
                text(json, "schema", DEFAULT_SCHEMA),
                duration(json, "connectTimeout", DEFAULT_CONNECT_TIMEOUT));
    }

    /** The URL without its password, fit for messages and logs. */
    public String redactedUrl() {
        PgConnectOptions options = connectOptions(url);
        String host = options.getHost().contains(":") ? "[" + options.getHost() + "]" : options.getHost();
        return "postgresql://" + options.getUser() + "@" + host + ":" + options.getPort() + "/" + options.getDatabase();
    }

    /** The options with the URL's password masked. */
    @Override
    public String toString() {
        return "PostgresStoreOptions[url=" + redact(url) + ", poolSize=" + poolSize + ", schema=" + schema
                + ", connectTimeout=" + connectTimeout + "]";
    }

    /** The connection settings the URL describes. */
    PgConnectOptions connectOptions() {
        return connectOptions(url);
    }

    private static PgConnectOptions connectOptions(String url) {
        String trimmed = url.trim();
        if (!trimmed.startsWith("postgresql://") && !trimmed.startsWith("postgres://")) {
            throw new EventStoreException("postgres store: 'url' must look like "
                    + "postgresql://user@host:5432/database, got '" + redact(url) + "'");
        }
        try {
            return PgConnectOptions.fromUri(trimmed);
        } catch (IllegalArgumentException e) {
            throw new EventStoreException(
                    "postgres store: 'url' must look like " + "postgresql://user@host:5432/database, got '"
                            + redact(url) + "': " + e.getMessage(),
                    e);
        }
    }

    /** {@code url} with anything between {@code user:} and {@code @} masked. */
    private static String redact(String url) {
        return url.replaceFirst("(://[^:/@]*):[^@/]*@", "$1:***@");
    }

    private static String text(JsonObject json, String key, String fallback) {
        Object value = json.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new EventStoreException("postgres store: '" + key + "' must be non-empty text, got " + value);
        }
        return text;
    }

    private static int integer(JsonObject json, String key, int fallback) {
        Object value = json.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number && number.doubleValue() == number.intValue()) {
            return number.intValue();
        }
        if (value instanceof String text && text.trim().matches("\\d{1,9}")) {
            return Integer.parseInt(text.trim());
        }
        throw new EventStoreException("postgres store: '" + key + "' must be a whole number, got " + value);
    }

    private static Duration duration(JsonObject json, String key, Duration fallback) {
        Object value = json.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number && number.doubleValue() == number.longValue()) {
            return Duration.ofMillis(number.longValue());
        }
        if (value instanceof String text) {
            Matcher matcher = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    default -> Duration.ofMinutes(amount);
                };
            }
            try {
                return Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                // falls through to the answer below
            }
        }
        throw new EventStoreException(
                "postgres store: '" + key + "' must be a duration such as 500ms, 5s or 1m," + " got " + value);
    }
}
