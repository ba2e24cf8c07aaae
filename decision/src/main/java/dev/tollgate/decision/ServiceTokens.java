package dev.tollgate.decision;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.SettingsException;
import dev.tollgate.web.PasswordHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Checks the service tokens callers present. A token's hash is PBKDF2, slow on purpose, so checking must not become a
 * way to burn the CPU:
 * <ol>
 *   <li>a token already verified is remembered by the SHA-256 of it (never by the token itself), so a caller pays for
 *       PBKDF2 once, not on every check;</li>
 *   <li>hashing runs on a worker pool of its own, never on an event loop, and no more hashes at once than the pool
 *       has threads: a check beyond that is refused at once ({@link Outcome#BUSY}), not queued;</li>
 *   <li>each client address may cause {@link DecisionOptions#hashesPerMinute()} checks that need hashing a minute,
 *       counted with Tollgate's own sliding-window limiter; past that it is refused before hashing
 *       ({@link Outcome#THROTTLED}) until its oldest such check is a minute old;</li>
 *   <li>a token longer than {@value DecisionOptions#MAX_TOKEN_BYTES} bytes is refused without hashing.</li>
 * </ol>
 * A token that is not remembered is hashed against every configured token's salt until one matches.
 */
public final class ServiceTokens {

    /** How many verified tokens are remembered; more than any configuration has. */
    static final int REMEMBERED = 1024;

    private static final Logger LOG = Logger.getLogger(ServiceTokens.class.getName());
    private static final AtomicLong POOLS = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MINTED_BYTES = 32;

    /** What a check of a presented token found. */
    public enum Outcome {
        /** The token is one of the configured ones. */
        ACCEPTED,
        /** No token was presented. */
        MISSING,
        /** The token is none of the configured ones, or too long to be one. */
        WRONG,
        /** The client address caused too many hashes this minute; nothing was hashed. */
        THROTTLED,
        /** Too many hashes are running; nothing was hashed. */
        BUSY
    }

    /**
     * What a check found.
     *
     * @param outcome          what it found
     * @param name             the token's name when {@link Outcome#ACCEPTED}
     * @param retryAfterSeconds when {@link Outcome#THROTTLED} or {@link Outcome#BUSY}, when to try again
     */
    public record Check(Outcome outcome, Optional<String> name, long retryAfterSeconds) {

        static final Check MISSING = new Check(Outcome.MISSING, Optional.empty(), 0);
        static final Check WRONG = new Check(Outcome.WRONG, Optional.empty(), 0);
        static final Check BUSY = new Check(Outcome.BUSY, Optional.empty(), 1);

        static Check accepted(String name) {
            return new Check(Outcome.ACCEPTED, Optional.of(name), 0);
        }
    }

    private final List<ServiceToken> tokens;
    private final int hashConcurrency;
    private final RateLimiter hashesByAddress;
    private final AtomicInteger hashing = new AtomicInteger();
    private final AtomicLong hashes = new AtomicLong();
    private final Map<String, String> verified = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final WorkerExecutor hashers;

    /**
     * Tokens checked on a pool of {@code options.hashConcurrency()} threads of their own.
     *
     * @throws SettingsException when no local sliding-window-log limiter is on the class path
     */
    public ServiceTokens(Vertx vertx, DecisionOptions options, NanoClock clock) {
        this.tokens = options.tokens();
        this.hashConcurrency = options.hashConcurrency();
        this.hashesByAddress = LimiterRegistry.fromServiceLoader()
                .create(
                        LimitSpec.of("sliding-window-log", options.hashesPerMinute(), DecisionOptions.THROTTLE_WINDOW),
                        "local",
                        LimiterOptions.defaults()
                                .withClock(clock)
                                .withScope("tollgate.decision.tokens")
                                .withMaxKeys(100_000)
                                .withIdleExpiry(DecisionOptions.THROTTLE_WINDOW.multipliedBy(2)));
        this.hashers = vertx.createSharedWorkerExecutor(
                "tollgate-token-hash-" + POOLS.incrementAndGet(), options.hashConcurrency());
    }

    /**
     * Checks {@code presented} (empty when the caller gave none) for a caller at {@code address}; never fails.
     */
    public Future<Check> check(Optional<String> presented, String address) {
        if (presented.isEmpty() || presented.get().isEmpty()) {
            return Future.succeededFuture(Check.MISSING);
        }
        String token = presented.get();
        // chars before bytes: a longer text is not even encoded
        if (token.length() > DecisionOptions.MAX_TOKEN_BYTES
                || token.getBytes(StandardCharsets.UTF_8).length > DecisionOptions.MAX_TOKEN_BYTES) {
            return Future.succeededFuture(Check.WRONG);
        }
        String digest = sha256(token);
        String known;
        synchronized (verified) {
            known = verified.get(digest);
        }
        if (known != null) {
            return Future.succeededFuture(Check.accepted(known));
        }
        // every check that needs hashing is counted, right or wrong: a caller hashes once per token, then is remembered
        return hashesByAddress
                .acquire("address:" + address)
                .compose(decision -> decision.allowed() ? hash(token, digest) : throttled(address, decision))
                .recover(e -> {
                    LOG.warning("cannot check a service token: " + e);
                    return Future.succeededFuture(Check.BUSY);
                });
    }

    private Future<Check> throttled(String address, Decision decision) {
        LOG.fine(() -> "service token checks from " + address + " throttled: " + decision.limit()
                + " needed hashing within a minute");
        return Future.succeededFuture(new Check(Outcome.THROTTLED, Optional.empty(), decision.retryAfterSeconds()));
    }

    private Future<Check> hash(String token, String digest) {
        if (hashing.incrementAndGet() > hashConcurrency) {
            hashing.decrementAndGet();
            return Future.succeededFuture(Check.BUSY);
        }
        return hashers.executeBlocking(() -> match(token, digest), false).andThen(done -> hashing.decrementAndGet());
    }

    private Check match(String token, String digest) {
        char[] chars = token.toCharArray();
        for (ServiceToken candidate : tokens) {
            hashes.incrementAndGet();
            if (candidate.hash().matches(chars)) {
                synchronized (verified) {
                    verified.put(digest, candidate.name());
                }
                return Check.accepted(candidate.name());
            }
        }
        return Check.WRONG;
    }

    /** How many PBKDF2 hashes were computed so far: one per configured token tried. */
    public long hashesComputed() {
        return hashes.get();
    }

    /** Closes the hashing pool. */
    public Future<Void> close() {
        return hashers.close();
    }

    /**
     * A new token for {@code name}: {@value #MINTED_BYTES} random bytes, URL-safe Base64, and its entry for
     * {@code decision.tokens}.
     *
     * @throws IllegalArgumentException for a name a token cannot have
     */
    public static Minted mint(String name, int iterations) {
        ServiceToken.checkName(name);
        byte[] random = new byte[MINTED_BYTES];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return new Minted(token, new ServiceToken(name, PasswordHash.of(token.toCharArray(), iterations)));
    }

    /**
     * A token just made, shown once.
     *
     * @param token the token, for the caller's {@code Authorization: Bearer} header or bridge frames
     * @param entry what {@code decision.tokens} keeps of it
     */
    public record Minted(String token, ServiceToken entry) {

        /** The entry as a line of YAML under {@code decision.tokens:}. */
        public String yaml() {
            return "- { name: " + entry.name() + ", hash: \"" + entry.hash().format() + "\" }";
        }
    }

    private static String sha256(String token) {
        try {
            return Base64.getEncoder()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime lacks SHA-256", e);
        }
    }
}
