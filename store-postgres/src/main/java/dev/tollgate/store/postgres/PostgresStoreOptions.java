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

    /** The configuration key of {@link #url()}. */
    public static final String URL = "url";
    /** The configuration key of {@link #poolSize()}. */
    public static final String POOL_SIZE = "poolSize";
    /** The configuration key of {@link #schema()}. */
    public static final String SCHEMA = "schema";
    /** The configuration key of {@link #connectTimeout()}. */
    public static final String CONNECT_TIMEOUT = "connectTimeout";

    private static final Set<String> KEYS = Set.of(URL, POOL_SIZE, SCHEMA, CONNECT_TIMEOUT);
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
     * Reads the store's section of the configuration: {@code url}, {@code poolSize}, {@code schema} and
     * {@code connectTimeout} (a duration such as {@code 500ms}, {@code 5s}, {@code 1m}, {@code PT5S}, or
     * milliseconds as a number); an absent key takes its default. Any other key is refused as a likely typo.
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
        Duration connectTimeout = settings.value(CONNECT_TIMEOUT) instanceof Number
                ? Duration.ofMillis(settings.whole(CONNECT_TIMEOUT).orElseThrow())
                : settings.duration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT);
        timeoutProblem(connectTimeout).ifPresent(problem -> {
            throw settings.problem(CONNECT_TIMEOUT, problem);
        });
        return new PostgresStoreOptions(url, poolSize, schema, connectTimeout);
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

    /** {@code url} with anything between {@code user:} and {@code @} masked. */
    private static String redact(String url) {
        return url.replaceFirst("(://[^:/@]*):[^@/]*@", "$1:***@");
    }

    private static EventStoreException invalid(String key, String problem, Throwable cause) {
        return new EventStoreException("postgres store: '" + key + "': " + problem, cause);
    }
}
