package dev.tollgate.envoy;

import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Envoy rate-limit service listens, what one request may hold, and what it answers with.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 for any free port
 * @param maxMessageBytes the largest request message; a larger one is refused with {@code RESOURCE_EXHAUSTED} before
 *     it is read
 * @param maxDescriptors the most descriptors in one request
 * @param maxEntries the most entries in one descriptor
 * @param maxKeyBytes the most bytes of a domain or an entry's key
 * @param maxValueBytes the most bytes of an entry's value
 * @param maxLimitOverrides the most distinct limits Envoy's routes may ask for instead of the configuration's, each a
 *     limiter of its own
 * @param headers the rate-limit headers Envoy is asked to add to its response
 * @param failOpen whether a descriptor whose limiter cannot decide is let through (else the call fails with
 *     {@code UNAVAILABLE}, and Envoy's {@code failure_mode_deny} decides)
 * @param callTimeout the longest a call may take to send its request: one still open then is ended with
 *     {@code DEADLINE_EXCEEDED}, so that stalled calls cannot pile up
 */
public record EnvoyOptions(
        String host,
        int port,
        int maxMessageBytes,
        int maxDescriptors,
        int maxEntries,
        int maxKeyBytes,
        int maxValueBytes,
        int maxLimitOverrides,
        Headers headers,
        boolean failOpen,
        Duration callTimeout) {

    /** Which rate-limit headers the answer carries. */
    public enum Headers {
        /**
         * Tollgate's, as the gateway sends them: {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining},
         * {@code X-RateLimit-Reset} (epoch seconds), and {@code Retry-After} when over the limit.
         */
        TOLLGATE,
        /**
         * envoyproxy/ratelimit's, with {@code LIMIT_RESPONSE_HEADERS_ENABLED}: {@code RateLimit-Limit},
         * {@code RateLimit-Remaining}, {@code RateLimit-Reset} (seconds until the window ends).
         */
        RATELIMIT,
        /** None. */
        NONE
    }

    private static final EnvoyOptions DEFAULTS = new EnvoyOptions(
            "0.0.0.0", 8081, 64 * 1024, 64, 16, 256, 1024, 64, Headers.TOLLGATE, true, Duration.ofSeconds(10));

    public EnvoyOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("callTimeout must be at least 1 ms, got " + callTimeout);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxDescriptors", maxDescriptors);
        positive("maxEntries", maxEntries);
        positive("maxKeyBytes", maxKeyBytes);
        positive("maxValueBytes", maxValueBytes);
        positive("maxLimitOverrides", maxLimitOverrides);
    }

    /**
     * Port 8081 on every address, messages of 64 KiB, 64 descriptors of 16 entries, keys of 256 bytes and values of
     * 1024, 64 limit overrides, Tollgate's headers, failing open, 10 s for a call to send its request.
     */
    public static EnvoyOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults with what {@code section} says: {@code host}, {@code port}, {@code maxMessageBytes},
     * {@code maxDescriptors}, {@code maxEntries}, {@code maxKeyBytes}, {@code maxValueBytes},
     * {@code maxLimitOverrides}, {@code headers} ({@code tollgate}, {@code ratelimit} or {@code none}),
     * {@code failOpen} and {@code callTimeout}; other keys are left to their readers.
     *
     * @throws SettingsException naming the full key of a value that cannot be used
     */
    public static EnvoyOptions from(Settings section) {
        return new EnvoyOptions(
                section.host("host", DEFAULTS.host),
                section.port("port", DEFAULTS.port, 0),
                (int) Math.min(Integer.MAX_VALUE, section.size("maxMessageBytes", DEFAULTS.maxMessageBytes)),
                whole(section, "maxDescriptors", DEFAULTS.maxDescriptors),
                whole(section, "maxEntries", DEFAULTS.maxEntries),
                whole(section, "maxKeyBytes", DEFAULTS.maxKeyBytes),
                whole(section, "maxValueBytes", DEFAULTS.maxValueBytes),
                whole(section, "maxLimitOverrides", DEFAULTS.maxLimitOverrides),
                section.choice("headers", Headers.class, DEFAULTS.headers),
                section.bool("failOpen", DEFAULTS.failOpen),
                section.duration("callTimeout", DEFAULTS.callTimeout));
    }

    public EnvoyOptions withHost(String host) {
        return new EnvoyOptions(
                host,
                port,
                maxMessageBytes,
                maxDescriptors,
                maxEntries,
                maxKeyBytes,
                maxValueBytes,
                maxLimitOverrides,
                headers,
                failOpen,
                callTimeout);
    }

    public EnvoyOptions withPort(int port) {
        return new EnvoyOptions(
                host,
                port,
                maxMessageBytes,
                maxDescriptors,
                maxEntries,
                maxKeyBytes,
                maxValueBytes,
                maxLimitOverrides,
                headers,
                failOpen,
                callTimeout);
    }

    public EnvoyOptions withHeaders(Headers headers) {
        return new EnvoyOptions(
                host,
                port,
                maxMessageBytes,
                maxDescriptors,
                maxEntries,
                maxKeyBytes,
                maxValueBytes,
                maxLimitOverrides,
                headers,
                failOpen,
                callTimeout);
    }

    public EnvoyOptions withFailOpen(boolean failOpen) {
        return new EnvoyOptions(
                host,
                port,
                maxMessageBytes,
                maxDescriptors,
                maxEntries,
                maxKeyBytes,
                maxValueBytes,
                maxLimitOverrides,
                headers,
                failOpen,
                callTimeout);
    }

    public EnvoyOptions withCallTimeout(Duration callTimeout) {
        return new EnvoyOptions(
                host,
                port,
                maxMessageBytes,
                maxDescriptors,
                maxEntries,
                maxKeyBytes,
                maxValueBytes,
                maxLimitOverrides,
                headers,
                failOpen,
                callTimeout);
    }

    /** The same options with other request bounds. */
    public EnvoyOptions withBounds(
            int maxMessageBytes, int maxDescriptors, int maxEntries, int maxKeyBytes, int maxValueBytes) {
        return new EnvoyOptions(
                host,
                port,
                maxMessageBytes,
                maxDescriptors,
                maxEntries,
                maxKeyBytes,
                maxValueBytes,
                maxLimitOverrides,
                headers,
                failOpen,
                callTimeout);
    }

    RequestBounds bounds() {
        return new RequestBounds(maxDescriptors, maxEntries, maxKeyBytes, maxValueBytes);
    }

    private static int whole(Settings section, String name, int defaultValue) {
        return (int) section.whole(name, defaultValue, 1, Integer.MAX_VALUE);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
