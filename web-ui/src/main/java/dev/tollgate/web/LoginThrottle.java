package dev.tollgate.web;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Failed sign-ins, counted with Tollgate's own limiter: per client address and per user name, so many in
 * any minute ({@link DashboardOptions#loginLimit()}). Only failures are counted; once an address or a name
 * has none left, every attempt from it or for it is refused before its password is looked at, until its
 * oldest failure is a minute old. Each failure is logged once, and each key once when it runs out.
 */
final class LoginThrottle {

    static final String ALGORITHM = "sliding-window-log";
    static final String BACKEND = "local";
    /** How many addresses and names are remembered; past it the least recent are forgotten. */
    static final long MAX_KEYS = 100_000;
    /** The longest user name a log line shows. */
    static final int LOGGED_NAME = 80;

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class.getName());

    private final RateLimiter failures;

    private LoginThrottle(RateLimiter failures) {
        this.failures = failures;
    }

    /**
     * A throttle of {@code perMinute} failures on {@code clock}.
     *
     * @throws DashboardException when no local {@value #ALGORITHM} limiter is on the class path
     */
    static LoginThrottle create(int perMinute, NanoClock clock) {
        LimitSpec spec = LimitSpec.of(ALGORITHM, perMinute, Duration.ofMinutes(1));
        LimiterOptions options = LimiterOptions.defaults()
                .withClock(clock)
                .withScope("tollgate.dashboard.login")
                .withMaxKeys(MAX_KEYS)
                .withIdleExpiry(Duration.ofMinutes(2));
        try {
            return new LoginThrottle(LimiterRegistry.fromServiceLoader().create(spec, BACKEND, options));
        } catch (SettingsException e) {
            throw new DashboardException(
                    "the dashboard counts failed sign-ins with the " + ALGORITHM
                            + " limiter of tollgate-limiter-algorithms; put that module on the class path ("
                            + e.problem()
                            + ")",
                    e);
        }
    }

    /**
     * How long until {@code address} and {@code name} may both try again; empty when they may now. Takes
     * nothing.
     */
    Future<Optional<Duration>> wait(String address, String name) {
        Future<Decision> byAddress = failures.peek(addressKey(address));
        Future<Decision> byName = failures.peek(nameKey(name));
        return Future.all(byAddress, byName).map(both -> {
            long seconds = Math.max(
                    byAddress.result().retryAfterSeconds(), byName.result().retryAfterSeconds());
            return seconds == 0 ? Optional.<Duration>empty() : Optional.of(Duration.ofSeconds(seconds));
        });
    }

    /** Counts and logs a failed sign-in ({@code how}: the form, HTTP Basic) for {@code name} from {@code address}. */
    Future<Void> failed(String how, String address, String name) {
        String shown = printable(name);
        LOG.warning("failed dashboard sign-in (" + how + ") for user '" + shown + "' from " + address);
        Future<Decision> byAddress = failures.acquire(addressKey(address));
        Future<Decision> byName = failures.acquire(nameKey(name));
        return Future.all(byAddress, byName).map(both -> {
            if (ranOut(byAddress.result())) {
                LOG.warning("dashboard sign-ins from " + address + " throttled: "
                        + failures.spec().limit()
                        + " failed within a minute; refused until the oldest is a minute old");
            }
            if (ranOut(byName.result())) {
                LOG.warning("dashboard sign-ins for user '" + shown + "' throttled: "
                        + failures.spec().limit()
                        + " failed within a minute; refused until the oldest is a minute old");
            }
            return null;
        });
    }

    /** Whether this failure took the key's last attempt: said once, when the key becomes throttled. */
    private static boolean ranOut(Decision decision) {
        return decision.allowed() && decision.remaining() == 0;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private static String nameKey(String name) {
        return "user:" + name;
    }

    /**
     * {@code name} safe for one log line: control characters and backslashes written as {@code \xNN}, line
     * separators and lone surrogates as a Java escape, cut at {@value #LOGGED_NAME} characters.
     */
    static String printable(String name) {
        StringBuilder out = new StringBuilder();
        int end = Math.min(name.length(), LOGGED_NAME);
        if (end < name.length() && Character.isHighSurrogate(name.charAt(end - 1))) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || (c >= 0x80 && c < 0xa0)) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (c == '\u2028' || c == '\u2029' || (Character.isSurrogate(c) && !validSurrogate(name, i))) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (name.length() > end) {
            out.append("…(").append(name.length()).append(" characters)");
        }
        return out.toString();
    }

    private static boolean validSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
