package dev.tollgate.store.memory;

import dev.tollgate.events.RateLimitEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An event as the memory store reads and writes it: the time as epoch milliseconds, the text fields shared
 * with every other event that has the same text, and the sequence number that breaks ties between equal
 * timestamps. A {@link Minute} keeps the fields in columns, so a stored event is no object of its own
 * (nothing per event for the garbage collector to copy and trace); this is the short-lived view of one.
 */
final class StoredEvent {

    /** {@link #outcome()} of an event served with no rule objecting. */
    static final int ALLOWED = 0;
    /** {@link #outcome()} of a refused event. */
    static final int BLOCKED = 1;
    /** {@link #outcome()} of an event served although a shadow rule would have refused it. */
    static final int SHADOW_BLOCKED = 2;

    final long millis;
    final long sequence;
    final String key;
    final String ruleName;
    final String path;
    final String method;
    /** Null when unknown. */
    final String ipAddress;
    /** Null when unknown. */
    final String userId;

    final long count;
    final long limit;
    final boolean allowed;
    final boolean shadow;
    /** Null when the request sent none. */
    final String userAgent;
    /** 0 when absent. */
    final short upstreamStatus;
    /** In microseconds; -1 when absent. */
    final int upstreamLatencyMicros;

    StoredEvent(
            long millis,
            long sequence,
            String key,
            String ruleName,
            String path,
            String method,
            String ipAddress,
            String userId,
            long count,
            long limit,
            boolean allowed,
            boolean shadow,
            String userAgent,
            short upstreamStatus,
            int upstreamLatencyMicros) {
        this.millis = millis;
        this.sequence = sequence;
        this.key = key;
        this.ruleName = ruleName;
        this.path = path;
        this.method = method;
        this.ipAddress = ipAddress;
        this.userId = userId;
        this.count = count;
        this.limit = limit;
        this.allowed = allowed;
        this.shadow = shadow;
        this.userAgent = userAgent;
        this.upstreamStatus = upstreamStatus;
        this.upstreamLatencyMicros = upstreamLatencyMicros;
    }

    StoredEvent(RateLimitEvent event, long sequence, SharedStrings strings) {
        this.millis = event.timestamp().toEpochMilli();
        this.sequence = sequence;
        this.key = strings.share(event.key());
        this.ruleName = strings.share(event.ruleName());
        this.path = strings.share(event.path());
        this.method = strings.share(event.method());
        this.ipAddress = event.ipAddress().map(strings::share).orElse(null);
        this.userId = event.userId().map(strings::share).orElse(null);
        this.count = event.count();
        this.limit = event.limit();
        this.allowed = event.allowed();
        this.shadow = event.shadow();
        this.userAgent = event.userAgent().map(strings::share).orElse(null);
        this.upstreamStatus = (short) event.upstreamStatus().orElse(0);
        // at most 30 minutes: within an int
        this.upstreamLatencyMicros = (int) event.upstreamLatencyMicros();
    }

    /** Which one count the event adds to: {@link #ALLOWED}, {@link #BLOCKED} or {@link #SHADOW_BLOCKED}. */
    int outcome() {
        return outcome(allowed, shadow);
    }

    /** The outcome of an event with these flags: a refusal is blocked whatever its shadow flag. */
    static int outcome(boolean allowed, boolean shadow) {
        return !allowed ? BLOCKED : shadow ? SHADOW_BLOCKED : ALLOWED;
    }

    /** Gives the shared text back when the event leaves the store. */
    void release(SharedStrings strings) {
        strings.release(key);
        strings.release(ruleName);
        strings.release(path);
        strings.release(method);
        if (ipAddress != null) {
            strings.release(ipAddress);
        }
        if (userId != null) {
            strings.release(userId);
        }
        if (userAgent != null) {
            strings.release(userAgent);
        }
    }

    RateLimitEvent toEvent() {
        return new RateLimitEvent(
                Instant.ofEpochMilli(millis),
                key,
                ruleName,
                path,
                method,
                allowed,
                count,
                limit,
                Optional.ofNullable(ipAddress),
                Optional.ofNullable(userId),
                shadow,
                Optional.ofNullable(userAgent),
                upstreamStatus == 0 ? OptionalInt.empty() : OptionalInt.of(upstreamStatus),
                upstreamLatencyMicros < 0
                        ? Optional.empty()
                        : Optional.of(Duration.ofNanos(upstreamLatencyMicros * 1000L)));
    }
}
