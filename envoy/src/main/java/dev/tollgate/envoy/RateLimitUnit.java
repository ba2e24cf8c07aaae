package dev.tollgate.envoy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The time unit of an Envoy rate limit, with its number on the wire ({@code RateLimitResponse.RateLimit.Unit}, which
 * {@code envoy.type.v3.RateLimitUnit} shares but for {@code WEEK}) and the window it stands for. Windows are those of
 * envoyproxy/ratelimit: a month is 30 days and a year 365, each aligned to the epoch, as Tollgate's fixed window is.
 */
public enum RateLimitUnit {
    SECOND(1, Duration.ofSeconds(1)),
    MINUTE(2, Duration.ofMinutes(1)),
    HOUR(3, Duration.ofHours(1)),
    DAY(4, Duration.ofDays(1)),
    WEEK(7, Duration.ofDays(7)),
    MONTH(5, Duration.ofDays(30)),
    YEAR(6, Duration.ofDays(365));

    private final int number;
    private final Duration window;

    RateLimitUnit(int number, Duration window) {
        this.number = number;
        this.window = window;
    }

    /** The enum's number in the protobuf messages. */
    public int number() {
        return number;
    }

    /** The window a limit in this unit counts over. */
    public Duration window() {
        return window;
    }

    /** The unit with this wire number; empty for {@code UNKNOWN} (0) and numbers no unit has. */
    public static Optional<RateLimitUnit> ofNumber(long number) {
        return Arrays.stream(values()).filter(u -> u.number == number).findFirst();
    }

    /** The unit named {@code name} in any case ({@code second}, {@code MINUTE}); empty for any other name. */
    public static Optional<RateLimitUnit> named(String name) {
        return Arrays.stream(values())
                .filter(u -> u.name().equals(name.toUpperCase(Locale.ROOT)))
                .findFirst();
    }
}
