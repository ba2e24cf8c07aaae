package dev.tollgate.limiter.redis;

import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a node of the {@code leased} mode ({@code limiter.redis.mode: leased}) takes permits from Redis: in leases of
 * many permits, spent locally ({@link LeasedRateLimiter}).
 *
 * @param time    the longest a lease is spent; what is left of it then is dropped, and it ends sooner when the key's
 *                window does
 * @param share   the largest lease as a share of the key's capacity (its burst, or its limit for the window
 *                algorithms): what one node may hold of a key's allowance at once
 * @param maxKeys the most keys with a lease at once on this node; past it, keys are decided one by one in Redis
 */
record Leasing(Duration time, double share, int maxKeys) {

    static final List<String> MODES = List.of("exact", "leased");

    private static final Set<String> KEYS = Set.of("time", "share", "maxKeys");

    /** The largest {@code lease.time}: longer, and a lease would outlive most windows it is counted in. */
    static final Duration MAX_TIME = Duration.ofMinutes(1);

    /**
     * The leasing of the {@code redis} backend's settings: empty in the {@code exact} mode, the default.
     *
     * @throws SettingsException for a bad {@code mode} or {@code lease} value, naming the key in full
     */
    static Optional<Leasing> from(Settings settings) {
        String mode = settings.choice("mode", MODES, "exact");
        Settings lease = settings.under("lease");
        if (mode.equals("exact")) {
            if (!lease.names().isEmpty()) {
                throw settings.problem("lease", "applies only with mode: leased; the mode is exact");
            }
            return Optional.empty();
        }
        lease.requireOnly("lease of the redis limiter backend", KEYS);
        Duration time = lease.duration("time", Duration.ofMillis(250));
        if (time.toMillis() < 1 || time.compareTo(MAX_TIME) > 0) {
            throw lease.problem("time", "must be from 1ms to 1m, got " + Durations.format(time));
        }
        double share = lease.number("share", 0.1);
        if (!(share > 0 && share <= 1)) {
            throw lease.problem("share", "must be more than 0 and at most 1, got " + share);
        }
        int maxKeys = (int) lease.whole("maxKeys", 100_000, 1, 10_000_000);
        return Optional.of(new Leasing(time, share, maxKeys));
    }

    /** The largest lease of a key whose capacity is {@code capacity}: at least one permit. */
    long maxLease(long capacity) {
        return Math.max(1, (long) Math.floor(capacity * share));
    }
}
