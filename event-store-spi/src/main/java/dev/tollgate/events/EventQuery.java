package dev.tollgate.events;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which raw events to list with {@link EventStore#events}, and which page of them. Immutable; build one
 * with {@link #builder()}, or start from {@link #all()}.
 *
 * <p>Every filter that is set must hold: {@link #key()}, {@link #ruleName()} and {@link #path()} match
 * exactly; {@link #outcome()} picks allowed, blocked or shadow-blocked events; {@link #from()} is inclusive and
 * {@link #to()} exclusive; {@link #search()} matches when the key or the path contains it, ignoring case.
 * Events come newest first (timestamp descending, then the store's unique tiebreak descending), at most
 * {@link #pageSize()} of them, starting past the {@link #cursor()} when one is given.
 */
public final class EventQuery {

    /** The page size when none is set. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** The largest page size. */
    public static final int MAX_PAGE_SIZE = 1000;

    private static final EventQuery ALL = builder().build();

    /**
     * Which decisions to list. Every event has exactly one outcome besides {@link #ANY}, as the reports count them
     * (see {@link RateLimitEvent}).
     */
    public enum Outcome {
        /** Every event. */
        ANY,
        /** Events served with no rule objecting: {@code allowed && !shadow}. */
        ALLOWED,
        /** Refused events, enforced blocks: {@code !allowed}. */
        BLOCKED,
        /** Events served although a shadow rule would have refused them: {@code allowed && shadow}. */
        SHADOW_BLOCKED;

        /** Whether an event with these flags is listed. */
        public boolean matches(boolean allowed, boolean shadow) {
            return switch (this) {
                case ANY -> true;
                case ALLOWED -> allowed && !shadow;
                case BLOCKED -> !allowed;
                case SHADOW_BLOCKED -> allowed && shadow;
            };
        }
    }

    private final String key;
    private final String ruleName;
    private final String path;
    private final Outcome outcome;
    private final Instant from;
    private final Instant to;
    private final String search;
    private final int pageSize;
    private final EventCursor cursor;

    private EventQuery(Builder builder) {
        this.key = builder.key;
        this.ruleName = builder.ruleName;
        this.path = builder.path;
        this.outcome = builder.outcome;
        this.from = builder.from;
        this.to = builder.to;
        this.search = builder.search;
        this.pageSize = builder.pageSize;
        this.cursor = builder.cursor;
    }

    /** Every event, newest first, {@value #DEFAULT_PAGE_SIZE} per page. */
    public static EventQuery all() {
        return ALL;
    }

    /** A builder listing every event, {@value #DEFAULT_PAGE_SIZE} per page. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query's settings. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.key = key;
        builder.ruleName = ruleName;
        builder.path = path;
        builder.outcome = outcome;
        builder.from = from;
        builder.to = to;
        builder.search = search;
        builder.pageSize = pageSize;
        builder.cursor = cursor;
        return builder;
    }

    /**
     * This query, continuing after the page that handed out {@code cursor}.
     *
     * @throws IllegalArgumentException when {@code cursor} is not a cursor a store handed out
     */
    public EventQuery after(String cursor) {
        return toBuilder().after(cursor).build();
    }

    /** Only events of this key. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** Only events of this rule ({@code ""}: events that name no rule). */
    public Optional<String> ruleName() {
        return Optional.ofNullable(ruleName);
    }

    /** Only events on this path. */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /** Allowed, blocked, shadow-blocked, or any. */
    public Outcome outcome() {
        return outcome;
    }

    /** Only events at or after this instant. */
    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    /** Only events before this instant. */
    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    /** Only events whose key or path contains this text, ignoring case. */
    public Optional<String> search() {
        return Optional.ofNullable(search);
    }

    /** The most events on one page. */
    public int pageSize() {
        return pageSize;
    }

    /** Where the previous page ended; empty for the first page. */
    public Optional<EventCursor> cursor() {
        return Optional.ofNullable(cursor);
    }

    /** Whether {@code event} passes every filter of this query (the cursor aside). */
    public boolean matches(RateLimitEvent event) {
        return matches(
                event.key(),
                event.ruleName(),
                event.path(),
                event.allowed(),
                event.shadow(),
                event.timestamp().toEpochMilli());
    }

    /**
     * Whether an event with these fields passes every filter of this query (the cursor aside): for stores
     * that keep events in another form than {@link RateLimitEvent}.
     */
    public boolean matches(
            String key, String ruleName, String path, boolean allowed, boolean shadow, long epochMillis) {
        return outcome.matches(allowed, shadow)
                && (from == null || epochMillis >= from.toEpochMilli())
                && (to == null || epochMillis < to.toEpochMilli())
                && (this.key == null || this.key.equals(key))
                && (this.ruleName == null || this.ruleName.equals(ruleName))
                && (this.path == null || this.path.equals(path))
                && (search == null || containsIgnoreCase(key, search) || containsIgnoreCase(path, search));
    }

    private static boolean containsIgnoreCase(String text, String fragment) {
        int last = text.length() - fragment.length();
        for (int i = 0; i <= last; i++) {
            if (text.regionMatches(true, i, fragment, 0, fragment.length())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventQuery that
                && Objects.equals(key, that.key)
                && Objects.equals(ruleName, that.ruleName)
                && Objects.equals(path, that.path)
                && outcome == that.outcome
                && Objects.equals(from, that.from)
                && Objects.equals(to, that.to)
                && Objects.equals(search, that.search)
                && pageSize == that.pageSize
                && Objects.equals(cursor, that.cursor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, ruleName, path, outcome, from, to, search, pageSize, cursor);
    }

    @Override
    public String toString() {
        return "EventQuery[key=" + key + ", ruleName=" + ruleName + ", path=" + path + ", outcome=" + outcome
                + ", from=" + from + ", to=" + to + ", search=" + search + ", pageSize=" + pageSize
                + ", cursor=" + cursor + "]";
    }

    /** Builds an {@link EventQuery}. Not thread-safe. */
    public static final class Builder {

        private String key;
        private String ruleName;
        private String path;
        private Outcome outcome = Outcome.ANY;
        private Instant from;
        private Instant to;
        private String search;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private EventCursor cursor;

        private Builder() {}

        /** Only events of {@code key}, compared exactly after the same truncation events get. */
        public Builder key(String key) {
            this.key = RateLimitEvent.truncateKey(key);
            return this;
        }

        /** Only events of rule {@code ruleName}; {@code ""} for events that name no rule. */
        public Builder ruleName(String ruleName) {
            this.ruleName =
                    RateLimitEvent.truncate(Objects.requireNonNull(ruleName, "ruleName"), RateLimitEvent.MAX_RULE_NAME);
            return this;
        }

        /** Only events on {@code path}, compared exactly. */
        public Builder path(String path) {
            this.path = RateLimitEvent.truncate(Objects.requireNonNull(path, "path"), RateLimitEvent.MAX_PATH);
            return this;
        }

        /** Allowed, blocked, shadow-blocked, or any (the default). */
        public Builder outcome(Outcome outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** Only events at or after {@code from} (millisecond precision). */
        public Builder from(Instant from) {
            this.from = Timestamps.truncate(Objects.requireNonNull(from, "from"));
            return this;
        }

        /** Only events before {@code to} (millisecond precision). */
        public Builder to(Instant to) {
            this.to = Timestamps.truncate(Objects.requireNonNull(to, "to"));
            return this;
        }

        /** Only events whose key or path contains {@code text}, ignoring case; blank text searches nothing. */
        public Builder search(String text) {
            this.search = Objects.requireNonNull(text, "text").isBlank() ? null : text;
            return this;
        }

        /** At most {@code pageSize} events per page, 1..{@value #MAX_PAGE_SIZE}. */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException(
                        "pageSize must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /**
         * Continue after the page that handed out {@code cursor} as its {@link EventPage#nextCursor()}.
         *
         * @throws IllegalArgumentException when {@code cursor} is not such a cursor
         */
        public Builder after(String cursor) {
            this.cursor = EventCursor.decode(cursor);
            return this;
        }

        /** Continue after {@code cursor}. */
        public Builder after(EventCursor cursor) {
            this.cursor = Objects.requireNonNull(cursor, "cursor");
            return this;
        }

        /**
         * The query.
         *
         * @throws IllegalArgumentException when {@code to} is not after {@code from}
         */
        public EventQuery build() {
            if (from != null && to != null && !to.isAfter(from)) {
                throw new IllegalArgumentException("the time range is empty: 'to' (" + Timestamps.format(to)
                        + ") must be after 'from' (" + Timestamps.format(from) + ")");
            }
            return new EventQuery(this);
        }
    }
}
