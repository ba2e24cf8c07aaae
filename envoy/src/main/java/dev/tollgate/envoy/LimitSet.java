package dev.tollgate.envoy;

import dev.tollgate.core.Tollgate;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A configuration with a limiter for each of its limits. Replaced whole when the configuration changes: a limit whose
 * rule name and spec did not change keeps its limiter, and so its counts.
 */
final class LimitSet {

    static final LimitSet EMPTY = new LimitSet(EnvoyConfig.empty(), Map.of());

    private final EnvoyConfig config;
    private final Map<String, CompiledLimit> byRule;

    private LimitSet(EnvoyConfig config, Map<String, CompiledLimit> byRule) {
        this.config = config;
        this.byRule = byRule;
    }

    EnvoyConfig config() {
        return config;
    }

    /** The compiled form of {@code limit}, one of this set's configuration's. */
    CompiledLimit compiled(DescriptorLimit limit) {
        return byRule.get(limit.ruleName());
    }

    /**
     * The set for {@code next}, taking from this set the limiters of limits that did not change and making the others.
     *
     * @throws SettingsException naming where a limit is configured that the backend cannot enforce; nothing made for
     *     the new set is then left open
     */
    LimitSet compile(EnvoyConfig next, Tollgate tollgate) {
        Map<String, CompiledLimit> compiled = new HashMap<>();
        List<RateLimiter> made = new ArrayList<>();
        try {
            for (DescriptorLimit limit : next.limits()) {
                CompiledLimit previous = byRule.get(limit.ruleName());
                Optional<RateLimiter> limiter = Optional.empty();
                try {
                    if (limit.counted()) {
                        if (previous != null
                                && previous.limiter().isPresent()
                                && previous.limit().spec().equals(limit.spec())) {
                            limiter = previous.limiter();
                        } else {
                            RateLimiter fresh = tollgate.newLimiter(limit.ruleName(), limit.spec());
                            made.add(fresh);
                            limiter = Optional.of(fresh);
                        }
                    }
                    compiled.put(limit.ruleName(), CompiledLimit.of(limit, limiter));
                } catch (SettingsException e) {
                    throw placed(e, limit);
                }
            }
        } catch (RuntimeException e) {
            made.forEach(RateLimiter::close);
            throw e;
        }
        return new LimitSet(next, compiled);
    }

    /** A problem with a limit's spec, keyed by the field of the file that set it; a backend setting's as it was. */
    private static SettingsException placed(SettingsException e, DescriptorLimit limit) {
        String field = switch (e.key()) {
            case "", "algorithm" -> e.key();
            case "limit" -> "rate_limit.requests_per_unit";
            case "window" -> "rate_limit.unit";
            case "burst", "cost" -> "burst";
            default -> null;
        };
        return field == null
                ? e
                : new SettingsException(field.isEmpty() ? limit.origin() : limit.origin() + "." + field, e.problem());
    }

    /** Closes the limiters of this set that {@code next} does not use. */
    Future<Void> closeReplaced(LimitSet next) {
        List<Future<Void>> closing = new ArrayList<>();
        for (CompiledLimit old : byRule.values()) {
            if (old.limiter().isEmpty()) {
                continue;
            }
            CompiledLimit kept = next.byRule.get(old.limit().ruleName());
            if (kept == null
                    || kept.limiter().isEmpty()
                    || kept.limiter().get() != old.limiter().get()) {
                closing.add(old.limiter().get().close());
            }
        }
        return Future.join(closing).mapEmpty();
    }
}
