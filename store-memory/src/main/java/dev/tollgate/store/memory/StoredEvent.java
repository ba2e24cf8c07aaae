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
 * (nothing per event for the garbage collector to copy and trace: the texts are there by id); this is the short-lived view of one.
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
    // the ids of the texts in the store's SharedStrings, as the minute's columns hold them
    final int keyId;
    final int ruleNameId;
    final int pathId;
    final int methodId;
    final int ipAddressId;
    final int userIdId;
    final int userAgentId;

    /** An event read from the columns of a minute: its texts by id, looked up in {@code strings}. */
    StoredEvent(
            long millis,
            long sequence,
            int keyId,
            int ruleNameId,
            int pathId,
            int methodId,
            int ipAddressId,
            int userIdId,
            long count,
            long limit,
            boolean allowed,
            boolean shadow,
            int userAgentId,
            short upstreamStatus,
            int upstreamLatencyMicros,
            SharedStrings strings) {
        this.millis = millis;
        this.sequence = sequence;
        this.keyId = keyId;
        this.ruleNameId = ruleNameId;
        this.pathId = pathId;
        this.methodId = methodId;
        this.ipAddressId = ipAddressId;
        this.userIdId = userIdId;
        this.userAgentId = userAgentId;
        this.key = strings.text(keyId);
        this.ruleName = strings.text(ruleNameId);
        this.path = strings.text(pathId);
        this.method = strings.text(methodId);
        this.ipAddress = strings.text(ipAddressId);
        this.userId = strings.text(userIdId);
        this.count = count;
        this.limit = limit;
        this.allowed = allowed;
        this.shadow = shadow;
        this.userAgent = strings.text(userAgentId);
        this.upstreamStatus = upstreamStatus;
        this.upstreamLatencyMicros = upstreamLatencyMicros;
    }

    /** {@code event} as the store keeps it: its texts shared (one reference more each) in {@code strings}. */
    StoredEvent(RateLimitEvent event, long sequence, SharedStrings strings) {
        this(
                event.timestamp().toEpochMilli(),
                sequence,
                strings.share(event.key()),
                strings.share(event.ruleName()),
                strings.share(event.path()),
                strings.share(event.method()),
                strings.share(event.ipAddress().orElse(null)),
                strings.share(event.userId().orElse(null)),
                event.count(),
                event.limit(),
                event.allowed(),
                event.shadow(),
                strings.share(event.userAgent().orElse(null)),
                (short) event.upstreamStatus().orElse(0),
                // at most 30 minutes: within an int
                (int) event.upstreamLatencyMicros(),
                strings);
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
        strings.release(keyId);
        strings.release(ruleNameId);
        strings.release(pathId);
        strings.release(methodId);
        strings.release(ipAddressId);
        strings.release(userIdId);
        strings.release(userAgentId);
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
