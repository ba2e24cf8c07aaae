package dev.tollgate.store.postgres;

import dev.tollgate.events.EventStoreException;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to reach the database of a PostgreSQL event store, read from its section of the configuration
 * ({@code events.postgres}) with {@link #from} or built by code.
 *
 * @param url            {@code postgresql://user[:password]@host[:port]/database}
 * @param poolSize       the most connections the store holds open, at least 1
 * @param schema         the schema of the store's tables, created when missing; a plain SQL identifier
 * @param connectTimeout how long to wait for a connection to the server before failing; a call waits at most
 *                       twice as long for a free pooled connection
 * @param foldInterval   how often the store takes the events appended since into its rollups in the background;
 *                       zero: only before a query that reads them (each query first takes in what is waiting)
 */
public record PostgresStoreOptions(
        String url, int poolSize, String schema, Duration connectTimeout, Duration foldInterval) {

    /** The database when no {@code url} is configured. */
    public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/tollgate";
    /** The pool size when none is configured. */
    public static final int DEFAULT_POOL_SIZE = 4;
    /** The schema when none is configured. */
    public static final String DEFAULT_SCHEMA = "public";
    /** The connect timeout when none is configured. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The fold interval when none is configured. */
    public static final Duration DEFAULT_FOLD_INTERVAL = Duration.ofMillis(250);

    /** The configuration key of {@link #url()}. */
    public static final String URL = "url";
    /** The configuration key of {@link #poolSize()}. */
    public static final String POOL_SIZE = "poolSize";
    /** The configuration key of {@link #schema()}. */
    public static final String SCHEMA = "schema";
    /** The configuration key of {@link #connectTimeout()}. */
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    /** The configuration key of {@link #foldInterval()}. */
    public static final String FOLD_INTERVAL = "foldInterval";

    private static final Set<String> KEYS = Set.of(URL, POOL_SIZE, SCHEMA, CONNECT_TIMEOUT, FOLD_INTERVAL);
    /** The longest fold interval: a minute (the rollups would wait for the queries instead). */
    private static final Duration MAX_FOLD_INTERVAL = Duration.ofMinutes(1);

    private static final Pattern ZERO = Pattern.compile("0+(ms|s|m|h)?");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Twice the connect timeout, the wait for a pooled connection, is counted in an {@code int} of milliseconds. */
    private static final long MAX_CONNECT_TIMEOUT_MILLIS = Integer.MAX_VALUE / 2;

    /**
     * Checks every setting of options built by code.
     *
     * @throws EventStoreException naming the setting and what would be valid
     */
    public PostgresStoreOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(foldInterval, "foldInterval");
        try {
            connectOptions(url);
        } catch (IllegalArgumentException e) {
            throw invalid(URL, e.getMessage(), e);
        }
        if (poolSize < 1) {
            throw invalid(POOL_SIZE, "expected at least 1, got " + poolSize, null);
        }
        schemaProblem(schema).ifPresent(problem -> {
            throw invalid(SCHEMA, problem, null);
        });
        timeoutProblem(connectTimeout).ifPresent(problem -> {
            throw invalid(CONNECT_TIMEOUT, problem, null);
        });
        foldIntervalProblem(foldInterval).ifPresent(problem -> {
            throw invalid(FOLD_INTERVAL, problem, null);
        });
    }

    /**
     * The defaults: the local server's {@code tollgate} database, 4 connections, schema {@code public}, 5 s to
     * connect, a fold every 250 ms.
     */
    public static PostgresStoreOptions defaults() {
        return new PostgresStoreOptions(
                DEFAULT_URL, DEFAULT_POOL_SIZE, DEFAULT_SCHEMA, DEFAULT_CONNECT_TIMEOUT, DEFAULT_FOLD_INTERVAL);
    }

    /** These options with another {@link #url()}. */
    public PostgresStoreOptions withUrl(String url) {
        return new PostgresStoreOptions(url, poolSize, schema, connectTimeout, foldInterval);
    }

    /** These options with another {@link #schema()}. */
    public PostgresStoreOptions withSchema(String schema) {
        return new PostgresStoreOptions(url, poolSize, schema, connectTimeout, foldInterval);
    }

    /** These options with another {@link #foldInterval()}. */
    public PostgresStoreOptions withFoldInterval(Duration foldInterval) {
        return new PostgresStoreOptions(url, poolSize, schema, connectTimeout, foldInterval);
    }

    /**
     * Reads the store's section of the configuration: {@code url}, {@code poolSize}, {@code schema},
     * {@code connectTimeout} and {@code foldInterval} (durations such as {@code 500ms}, {@code 5s}, {@code 1m},
     * {@code PT5S}, or milliseconds as a number); an absent key takes its default. Any other key is refused as a likely typo.
     *
     * @throws SettingsException naming the full key that is wrong and what would be valid
     */
    public static PostgresStoreOptions from(Settings settings) {
        settings.requireOnly("PostgreSQL event store", KEYS);
        String url = settings.text(URL, DEFAULT_URL);
        try {
            connectOptions(url);
        } catch (IllegalArgumentException e) {
            throw settings.problem(URL, e.getMessage());
        }
        int poolSize = Math.toIntExact(settings.whole(POOL_SIZE, DEFAULT_POOL_SIZE, 1, Integer.MAX_VALUE));
        String schema = settings.text(SCHEMA, DEFAULT_SCHEMA);
        schemaProblem(schema).ifPresent(problem -> {
            throw settings.problem(SCHEMA, problem);
        });
        Duration connectTimeout = duration(settings, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT);
        timeoutProblem(connectTimeout).ifPresent(problem -> {
            throw settings.problem(CONNECT_TIMEOUT, problem);
        });
        // durations are otherwise positive; here 0 (in any unit) is a choice: fold only before queries
        Duration foldInterval = settings.text(FOLD_INTERVAL)
                        .filter(text -> ZERO.matcher(text.trim()).matches())
                        .isPresent()
                ? Duration.ZERO
                : duration(settings, FOLD_INTERVAL, DEFAULT_FOLD_INTERVAL);
        foldIntervalProblem(foldInterval).ifPresent(problem -> {
            throw settings.problem(FOLD_INTERVAL, problem);
        });
        return new PostgresStoreOptions(url, poolSize, schema, connectTimeout, foldInterval);
    }

    /** A duration setting, or milliseconds as a number. */
    private static Duration duration(Settings settings, String key, Duration fallback) {
        return settings.value(key) instanceof Number
                ? Duration.ofMillis(settings.whole(key).orElseThrow())
                : settings.duration(key, fallback);
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
                + ", connectTimeout=" + connectTimeout + ", foldInterval=" + foldInterval + "]";
    }

    /** The connection settings the URL describes. */
    PgConnectOptions connectOptions() {
        return connectOptions(url);
    }

    /** @throws IllegalArgumentException saying what is expected, without the URL's password */
    private static PgConnectOptions connectOptions(String url) {
        String trimmed = url.trim();
        String expected = "expected a URL such as postgresql://user@host:5432/database, got '" + redact(url) + "'";
        if (!trimmed.startsWith("postgresql://") && !trimmed.startsWith("postgres://")) {
            throw new IllegalArgumentException(expected);
        }
        try {
            return PgConnectOptions.fromUri(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(expected + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> schemaProblem(String schema) {
        return IDENTIFIER.matcher(schema).matches()
                ? Optional.empty()
                : Optional.of("expected a lower-case SQL identifier (letters, digits, _; at most 63 characters),"
                        + " got '" + schema + "'");
    }

    private static Optional<String> timeoutProblem(Duration timeout) {
        return timeout.isNegative() || timeout.isZero() || timeout.toMillis() > MAX_CONNECT_TIMEOUT_MILLIS
                ? Optional.of("expected a positive duration of at most "
                        + Durations.format(Duration.ofMillis(MAX_CONNECT_TIMEOUT_MILLIS)) + ", such as 5s, got "
                        + Durations.format(timeout))
                : Optional.empty();
    }

    private static Optional<String> foldIntervalProblem(Duration interval) {
        return interval.isNegative() || interval.compareTo(MAX_FOLD_INTERVAL) > 0
                ? Optional.of("expected a duration from 0 (fold only before queries) to "
                        + Durations.format(MAX_FOLD_INTERVAL) + ", such as 250ms, got " + Durations.format(interval))
                : Optional.empty();
    }

    /** {@code url} with anything between {@code user:} and {@code @} masked. */
    private static String redact(String url) {
        return url.replaceFirst("(://[^:/@]*):[^@/]*@", "$1:***@");
    }

    private static EventStoreException invalid(String key, String problem, Throwable cause) {
        return new EventStoreException("postgres store: '" + key + "': " + problem, cause);
    }
}
