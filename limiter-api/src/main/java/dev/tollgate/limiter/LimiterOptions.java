package dev.tollgate.limiter;

import dev.tollgate.plugin.Settings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a limiter needs besides its {@link LimitSpec}: the clock, the scope its state belongs to, the
 * bounds on per-key state, and for remote backends a {@link Vertx} and the backend's own
 * {@linkplain #settings() settings}. Immutable; the {@code with…} methods return changed copies.
 */
public final class LimiterOptions {

    /** Default bound on the number of keys a limiter keeps state for. */
    public static final long DEFAULT_MAX_KEYS = 1_000_000L;
    /** Default time after which an untouched key's state is dropped. */
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofDays(1);
    /** The scope of a limiter made without one: for embedders that make a single limiter. */
    public static final String DEFAULT_SCOPE = "";

    private static final LimiterOptions DEFAULTS = new LimiterOptions(
            NanoClock.system(),
            DEFAULT_SCOPE,
            DEFAULT_MAX_KEYS,
            DEFAULT_IDLE_EXPIRY,
            null,
            null,
            Settings.empty(""),
            QuotaPeriod.daily());

    private final NanoClock clock;
    private final String scope;
    private final long maxKeys;
    private final Duration idleExpiry;
    private final MemoryBudget memoryBudget;
    private final Vertx vertx;
    private final Settings settings;
    private final QuotaPeriod quotaPeriod;

    private LimiterOptions(
            NanoClock clock,
            String scope,
            long maxKeys,
            Duration idleExpiry,
            MemoryBudget memoryBudget,
            Vertx vertx,
            Settings settings,
            QuotaPeriod quotaPeriod) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scope = Objects.requireNonNull(scope, "scope");
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
        }
        if (idleExpiry.isNegative() || idleExpiry.isZero()) {
            throw new IllegalArgumentException("idleExpiry must be positive, got " + idleExpiry);
        }
        this.maxKeys = maxKeys;
        this.idleExpiry = idleExpiry;
        this.memoryBudget = memoryBudget;
        this.vertx = vertx;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.quotaPeriod = Objects.requireNonNull(quotaPeriod, "quotaPeriod");
    }

    /**
     * The system clock, the scope {@code ""}, {@value #DEFAULT_MAX_KEYS} keys, one day of idle expiry, no
     * memory budget, no Vert.x, no settings.
     */
    public static LimiterOptions defaults() {
        return DEFAULTS;
    }

    /** The time source. */
    public NanoClock clock() {
        return clock;
    }

    /**
     * Whose state the limiter keeps: limiters with different scopes never share state, even with equal
     * specs and on the same key and store. Give each rule its own, for instance its name, so that two rules
     * never share an allowance and a renamed rule starts afresh. Any text, braces and colons included;
     * the default is the empty string.
     *
     * <p>Limiters with the same scope and equal specs on a shared store (Redis) share the state of each
     * key: that is how several nodes enforce one limit. In-process limiters never share state at all.
     */
    public String scope() {
        return scope;
    }

    /**
     * The most keys an in-process limiter keeps state for. Past it the least recently used keys are
     * dropped, which makes the limiter more lenient to them, never stricter.
     */
    public long maxKeys() {
        return maxKeys;
    }

    /**
     * How long a key's state survives without being touched. A key whose window has passed is dropped
     * sooner: its state is then the same as no state.
     */
    public Duration idleExpiry() {
        return idleExpiry;
    }

    /**
     * The bound on the heap bytes of per-key state shared with other in-process limiters; empty when
     * there is none (the default), in which case only {@link #maxKeys()} bounds a limiter's state.
     * Backends that keep state outside the JVM, such as Redis, ignore it.
     */
    public Optional<MemoryBudget> memoryBudget() {
        return Optional.ofNullable(memoryBudget);
    }

    /** The Vert.x instance remote backends run on. */
    public Optional<Vertx> vertx() {
        return Optional.ofNullable(vertx);
    }

    /**
     * The backend's own settings (for instance a Redis URL): its section of the configuration, which knows
     * where it is ({@code limiter.redis}), so a provider's complaint names the key in full. Empty by default,
     * at the top.
     */
    public Settings settings() {
        return settings;
    }

    /**
     * The periods a {@link QuotaLimiter} counts over; other limiters ignore it. Calendar days in UTC unless set: a
     * quota rule sets its own.
     */
    public QuotaPeriod quotaPeriod() {
        return quotaPeriod;
    }

    /** These options with another {@link #quotaPeriod()}. */
    public LimiterOptions withQuotaPeriod(QuotaPeriod quotaPeriod) {
        return new LimiterOptions(
                clock,
                scope,
                maxKeys,
                idleExpiry,
                memoryBudget,
                vertx,
                settings,
                Objects.requireNonNull(quotaPeriod, "quotaPeriod"));
    }

    public LimiterOptions withClock(NanoClock clock) {
        return new LimiterOptions(clock, scope, maxKeys, idleExpiry, memoryBudget, vertx, settings, quotaPeriod);
    }

    /** These options with another {@link #scope()}. */
    public LimiterOptions withScope(String scope) {
        return new LimiterOptions(clock, scope, maxKeys, idleExpiry, memoryBudget, vertx, settings, quotaPeriod);
    }

    public LimiterOptions withMaxKeys(long maxKeys) {
        return new LimiterOptions(clock, scope, maxKeys, idleExpiry, memoryBudget, vertx, settings, quotaPeriod);
    }

    public LimiterOptions withIdleExpiry(Duration idleExpiry) {
        return new LimiterOptions(
                clock,
                scope,
                maxKeys,
                Objects.requireNonNull(idleExpiry, "idleExpiry"),
                memoryBudget,
                vertx,
                settings,
                quotaPeriod);
    }

    /** These options with a {@link #memoryBudget()}: give every limiter of one application the same one. */
    public LimiterOptions withMemoryBudget(MemoryBudget memoryBudget) {
        return new LimiterOptions(
                clock,
                scope,
                maxKeys,
                idleExpiry,
                Objects.requireNonNull(memoryBudget, "memoryBudget"),
                vertx,
                settings,
                quotaPeriod);
    }

    public LimiterOptions withVertx(Vertx vertx) {
        return new LimiterOptions(
                clock,
                scope,
                maxKeys,
                idleExpiry,
                memoryBudget,
                Objects.requireNonNull(vertx, "vertx"),
                settings,
                quotaPeriod);
    }

    /** These options with the backend's {@link #settings()}: {@code Settings.of("limiter.redis", json)}. */
    public LimiterOptions withSettings(Settings settings) {
        // a copy: the JSON a section was made from may change after
        Settings copy = Settings.of(settings.prefix(), settings.json());
        return new LimiterOptions(clock, scope, maxKeys, idleExpiry, memoryBudget, vertx, copy, quotaPeriod);
    }
}
