package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One decision of a rate limiter, as recorded in the event log.
 *
 * <p>The canonical constructor normalises rather than rejects: the timestamp is truncated to the
 * millisecond, and text longer than its bound ({@value #MAX_KEY} characters for the key,
 * {@value #MAX_RULE_NAME} for the rule name, {@value #MAX_PATH} for the path, {@value #MAX_METHOD} for the
 * method, {@value #MAX_USER_AGENT} for the user agent) is cut to the bound, never splitting a surrogate pair; an
 * upstream status outside 100..599 or a negative upstream latency is dropped (absent), a latency above
 * {@link #MAX_UPSTREAM_LATENCY} is cut to it, and a latency is kept to the microsecond. Only a missing (null) field is
 * an error.
 *
 * <p>Two flags say what happened to the request, and every report reads them the same way:
 * <ul>
 *   <li>{@code allowed} — the request was served. An event with {@code allowed == false} is an enforced block
 *       ({@link #blocked()}): a rule refused it (429), a deny list (403) or a failing limiter (503).</li>
 *   <li>{@code shadow} — a shadow rule would have refused the request; the request was served all the same, and
 *       {@code ruleName} names that shadow rule. Such an event is {@link #shadowBlocked() shadow-blocked}: it counts
 *       as {@code shadow_blocked} in the reports, never as {@code blocked}. Tollgate sets {@code shadow} only on
 *       served events; on an event that is not allowed it is ignored (the event counts as blocked).</li>
 * </ul>
 * So each event is exactly one of: allowed and clean ({@code allowed && !shadow}), blocked ({@code !allowed}), or
 * shadow-blocked ({@code allowed && shadow}). A served request is never counted as blocked.
 *
 * @param timestamp when the decision was made, UTC, millisecond precision
 * @param key       the client identity the limit applied to ({@code ip:203.0.113.5}, {@code user:42})
 * @param ruleName  the rule that blocked, else the shadow rule that would have blocked, else the highest-priority
 *                  rule; {@code ""} when none
 * @param path      the request path
 * @param method    the HTTP method
 * @param allowed   whether the request was served
 * @param count     the permits counted against the key at decision time
 * @param limit     the limit the key was held to
 * @param ipAddress the client address, when known
 * @param userId    the authenticated user, when known
 * @param shadow    whether a shadow rule would have refused the served request (a shadow rule never blocks)
 * @param userAgent the request's {@code User-Agent} header (its first line when repeated), when it had one
 * @param upstreamStatus  in gateway mode, the status the upstream answered a served request with; absent for a
 *                        refused request, for the handler without a proxy, and when the upstream failed (no answer,
 *                        timeout: the client got the gateway's 502 or 504)
 * @param upstreamLatency in gateway mode, from sending the request to the upstream until its response head arrived,
 *                        to the microsecond; absent when {@code upstreamStatus} is
 */
public record RateLimitEvent(
        Instant timestamp,
        String key,
        String ruleName,
        String path,
        String method,
        boolean allowed,
        long count,
        long limit,
        Optional<String> ipAddress,
        Optional<String> userId,
        boolean shadow,
        Optional<String> userAgent,
        OptionalInt upstreamStatus,
        Optional<Duration> upstreamLatency) {

    /** The longest key kept; longer keys are truncated. */
    public static final int MAX_KEY = 255;
    /** The longest rule name kept. */
    public static final int MAX_RULE_NAME = 100;
    /** The longest path kept. */
    public static final int MAX_PATH = 500;
    /** The longest method kept. */
    public static final int MAX_METHOD = 10;
    /** The longest user agent kept. */
    public static final int MAX_USER_AGENT = 255;
    /** The longest upstream latency kept; longer ones are cut to it: 30 minutes. */
    public static final Duration MAX_UPSTREAM_LATENCY = Duration.ofMinutes(30);

    public RateLimitEvent {
        timestamp = Timestamps.truncate(Objects.requireNonNull(timestamp, "timestamp"));
        key = truncate(Objects.requireNonNull(key, "key"), MAX_KEY);
        ruleName = truncate(Objects.requireNonNull(ruleName, "ruleName"), MAX_RULE_NAME);
        path = truncate(Objects.requireNonNull(path, "path"), MAX_PATH);
        method = truncate(Objects.requireNonNull(method, "method"), MAX_METHOD);
        Objects.requireNonNull(ipAddress, "ipAddress");
        Objects.requireNonNull(userId, "userId");
        // made twice for every request the gateway serves: the checks below take no lambda and keep what passes
        if (Objects.requireNonNull(userAgent, "userAgent").isPresent()
                && userAgent.get().length() > MAX_USER_AGENT) {
            userAgent = Optional.of(truncate(userAgent.get(), MAX_USER_AGENT));
        }
        Objects.requireNonNull(upstreamStatus, "upstreamStatus");
        if (upstreamStatus.isPresent() && !isStatus(upstreamStatus.getAsInt())) {
            upstreamStatus = OptionalInt.empty();
        }
        Objects.requireNonNull(upstreamLatency, "upstreamLatency");
        if (upstreamStatus.isEmpty()
                || upstreamLatency.isEmpty()
                || upstreamLatency.get().isNegative()) {
            upstreamLatency = Optional.empty();
        } else if (upstreamLatency.get().compareTo(MAX_UPSTREAM_LATENCY) > 0) {
            upstreamLatency = Optional.of(MAX_UPSTREAM_LATENCY);
        } else if (upstreamLatency.get().toNanos() % 1000 != 0) {
            upstreamLatency = Optional.of(Duration.ofNanos(upstreamLatency.get().toNanos() / 1000 * 1000));
        }
    }

    /** An event without user agent and without upstream facts, as events were before they carried them. */
    public RateLimitEvent(
            Instant timestamp,
            String key,
            String ruleName,
            String path,
            String method,
            boolean allowed,
            long count,
            long limit,
            Optional<String> ipAddress,
            Optional<String> userId,
            boolean shadow) {
        this(
                timestamp,
                key,
                ruleName,
                path,
                method,
                allowed,
                count,
                limit,
                ipAddress,
                userId,
                shadow,
                Optional.empty(),
                OptionalInt.empty(),
                Optional.empty());
    }

    private static boolean isStatus(int status) {
        return status >= 100 && status <= 599;
    }

    /** The upstream latency in whole microseconds, or {@code -1} when absent: the stores' column value. */
    public long upstreamLatencyMicros() {
        // on every recorded event: no lambda, no boxing
        return upstreamLatency.isPresent() ? upstreamLatency.get().toNanos() / 1000 : -1L;
    }

    /** A builder with no fields set but for the defaults: rule name {@code ""}, no address, no user, not shadow. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this event's fields, to make a changed copy. */
    public Builder toBuilder() {
        Builder builder = builder()
                .timestamp(timestamp)
                .key(key)
                .ruleName(ruleName)
                .path(path)
                .method(method)
                .allowed(allowed)
                .count(count)
                .limit(limit)
                .shadow(shadow);
        ipAddress.ifPresent(builder::ipAddress);
        userId.ifPresent(builder::userId);
        userAgent.ifPresent(builder::userAgent);
        upstreamStatus.ifPresent(builder::upstreamStatus);
        upstreamLatency.ifPresent(builder::upstreamLatency);
        return builder;
    }

    /**
     * This event with the upstream's {@code status} and the {@code latency} of its response head (checked as the
     * constructor checks them): the gateway's copy once the upstream answered, made without a builder.
     */
    public RateLimitEvent withUpstream(int status, Duration latency) {
        return new RateLimitEvent(
                timestamp,
                key,
                ruleName,
                path,
                method,
                allowed,
                count,
                limit,
                ipAddress,
                userId,
                shadow,
                userAgent,
                OptionalInt.of(status),
                Optional.of(latency));
    }

    /** Whether the request was refused: an enforced block. */
    public boolean blocked() {
        return !allowed;
    }

    /** Whether the request was served although a shadow rule would have refused it: {@code allowed && shadow}. */
    public boolean shadowBlocked() {
        return allowed && shadow;
    }

    /**
     * The event as the event bus and the JSON reports carry it: snake_case names, {@code null} for absent values;
     * {@code upstream_latency_ms} in milliseconds with the microseconds as decimals ({@code 12.345}).
     */
    public JsonObject toJson() {
        return new JsonObject()
                .put("timestamp", Timestamps.format(timestamp))
                .put("key", key)
                .put("rule_name", ruleName)
                .put("path", path)
                .put("method", method)
                .put("allowed", allowed)
                .put("count", count)
                .put("limit", limit)
                .put("ip_address", ipAddress.orElse(null))
                .put("user_id", userId.orElse(null))
                .put("shadow", shadow)
                .put("user_agent", userAgent.orElse(null))
                .put("upstream_status", upstreamStatus.isPresent() ? upstreamStatus.getAsInt() : null)
                .put("upstream_latency_ms", upstreamLatency.isPresent() ? upstreamLatencyMicros() / 1000.0 : null);
    }

    /**
     * Reads what {@link #toJson()} wrote. {@code rule_name} may be absent (none), {@code ip_address} and
     * {@code user_id} absent or {@code null}, {@code shadow} absent (false), {@code user_agent},
     * {@code upstream_status} and {@code upstream_latency_ms} absent or {@code null} (as from a node that does not
     * know them); the other fields are required.
     *
     * @throws IllegalArgumentException naming the field that is missing or of the wrong type
     */
    public static RateLimitEvent fromJson(JsonObject json) {
        Objects.requireNonNull(json, "json");
        try {
            Builder builder = builder()
                    .timestamp(Timestamps.parse(required(json, "timestamp", json.getString("timestamp"))))
                    .key(required(json, "key", json.getString("key")))
                    .ruleName(json.getString("rule_name", ""))
                    .path(required(json, "path", json.getString("path")))
                    .method(required(json, "method", json.getString("method")))
                    .allowed(required(json, "allowed", json.getBoolean("allowed")))
                    .count(required(json, "count", json.getLong("count")))
                    .limit(required(json, "limit", json.getLong("limit")))
                    .shadow(json.getBoolean("shadow", false));
            String ipAddress = json.getString("ip_address");
            if (ipAddress != null) {
                builder.ipAddress(ipAddress);
            }
            String userId = json.getString("user_id");
            if (userId != null) {
                builder.userId(userId);
            }
            String userAgent = json.getString("user_agent");
            if (userAgent != null) {
                builder.userAgent(userAgent);
            }
            Number status = json.getNumber("upstream_status");
            if (status != null) {
                builder.upstreamStatus(status.intValue());
            }
            Number latency = json.getNumber("upstream_latency_ms");
            if (latency != null) {
                builder.upstreamLatency(Duration.ofNanos(Math.round(latency.doubleValue() * 1000) * 1000));
            }
            return builder.build();
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("event JSON has a field of the wrong type: " + e.getMessage(), e);
        }
    }

    private static <T> T required(JsonObject json, String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException("event JSON lacks the field '" + field + "': " + json.encode());
        }
        return value;
    }

    /**
     * {@code key} as events keep it: cut to {@value #MAX_KEY} characters. Stores look keys up in this form,
     * so the untruncated key finds its events too.
     */
    public static String truncateKey(String key) {
        return truncate(Objects.requireNonNull(key, "key"), MAX_KEY);
    }

    /** {@code text} cut to at most {@code max} chars, one fewer when the cut would split a surrogate pair. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }

    /**
     * Builds a {@link RateLimitEvent} field by field. {@link #timestamp}, {@link #key}, {@link #path} and
     * {@link #method} must be set; every other field has a default. Not thread-safe.
     */
    public static final class Builder {

        private Instant timestamp;
        private String key;
        private String ruleName = "";
        private String path;
        private String method;
        private boolean allowed;
        private long count;
        private long limit;
        private String ipAddress;
        private String userId;
        private boolean shadow;
        private String userAgent;
        private OptionalInt upstreamStatus = OptionalInt.empty();
        private Duration upstreamLatency;

        private Builder() {}

        public Builder timestamp(Instant timestamp) {
            this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
            return this;
        }

        public Builder key(String key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** The rule's name; {@code ""} (the default) for none. */
        public Builder ruleName(String ruleName) {
            this.ruleName = Objects.requireNonNull(ruleName, "ruleName");
            return this;
        }

        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        public Builder method(String method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        public Builder allowed(boolean allowed) {
            this.allowed = allowed;
            return this;
        }

        public Builder count(long count) {
            this.count = count;
            return this;
        }

        public Builder limit(long limit) {
            this.limit = limit;
            return this;
        }

        /** The client address; leave unset when unknown. */
        public Builder ipAddress(String ipAddress) {
            this.ipAddress = Objects.requireNonNull(ipAddress, "ipAddress");
            return this;
        }

        /** The authenticated user; leave unset when unknown. */
        public Builder userId(String userId) {
            this.userId = Objects.requireNonNull(userId, "userId");
            return this;
        }

        public Builder shadow(boolean shadow) {
            this.shadow = shadow;
            return this;
        }

        /** The request's user agent; leave unset when it sent none. */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /** The upstream's status, in gateway mode; one outside 100..599 is dropped. */
        public Builder upstreamStatus(int upstreamStatus) {
            this.upstreamStatus = OptionalInt.of(upstreamStatus);
            return this;
        }

        /** How long the upstream took to answer with its response head, in gateway mode; a negative one is dropped. */
        public Builder upstreamLatency(Duration upstreamLatency) {
            this.upstreamLatency = Objects.requireNonNull(upstreamLatency, "upstreamLatency");
            return this;
        }

        /**
         * The event.
         *
         * @throws IllegalStateException naming the first required field that was not set
         */
        public RateLimitEvent build() {
            return new RateLimitEvent(
                    requireSet(timestamp, "timestamp"),
                    requireSet(key, "key"),
                    ruleName,
                    requireSet(path, "path"),
                    requireSet(method, "method"),
                    allowed,
                    count,
                    limit,
                    Optional.ofNullable(ipAddress),
                    Optional.ofNullable(userId),
                    shadow,
                    Optional.ofNullable(userAgent),
                    upstreamStatus,
                    Optional.ofNullable(upstreamLatency));
        }

        private static <T> T requireSet(T value, String field) {
            if (value == null) {
                throw new IllegalStateException("RateLimitEvent." + field + " was not set");
            }
            return value;
        }
    }
}
