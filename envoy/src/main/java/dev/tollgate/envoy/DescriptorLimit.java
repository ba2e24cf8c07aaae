package dev.tollgate.envoy;

import dev.tollgate.core.PathPattern;
import dev.tollgate.core.Rule;
import dev.tollgate.limiter.LimitSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code rate_limit} of one configured descriptor, with the flags of the descriptor that holds it.
 *
 * @param ruleName the descriptor's full key, {@code domain.key_value.key} as envoyproxy/ratelimit names its stats: the
 *     rule name of the events and metrics, and the scope of the limiter (which the counts of every node share)
 * @param origin where it is configured ({@code edge.yaml: descriptors[0].descriptors[1]}), for problems found later
 * @param name the {@code rate_limit.name} other limits' {@code replaces} refer to; empty when none
 * @param requestsPerUnit requests per window; 0 refuses every request, as in envoyproxy/ratelimit
 * @param unit the window; empty only for an unlimited descriptor
 * @param unlimited whether the descriptor is never limited
 * @param shadow {@code shadow_mode}: refusals are reported and recorded, never enforced
 * @param quota {@code quota_mode}: the request is refused only when every quota descriptor is over
 * @param replaces the names of the limits this one takes the place of when both apply to a request
 * @param algorithm Tollgate's algorithm for it ({@code fixed-window} unless the descriptor names another)
 * @param burst the bucket capacity of the bucket algorithms; 0 for the limit
 */
record DescriptorLimit(
        String ruleName,
        String origin,
        String name,
        long requestsPerUnit,
        Optional<RateLimitUnit> unit,
        boolean unlimited,
        boolean shadow,
        boolean quota,
        List<String> replaces,
        String algorithm,
        long burst) {

    /** The algorithm of a descriptor that names none: envoyproxy/ratelimit's own. */
    static final String DEFAULT_ALGORITHM = "fixed-window";

    private static final PathPattern EVERY_PATH = PathPattern.parse("/*");

    DescriptorLimit {
        replaces = List.copyOf(replaces);
    }

    /** Whether a limiter decides it: it is neither unlimited nor a limit of 0. */
    boolean counted() {
        return !unlimited && requestsPerUnit > 0;
    }

    /** The limit as Tollgate enforces it; for a limit of 0, a limit of 1 that nothing ever takes from. */
    LimitSpec spec() {
        RateLimitUnit window = unit.orElseThrow();
        long limit = Math.max(1, requestsPerUnit);
        return new LimitSpec(algorithm, limit, window.window(), burst > 0 ? burst : limit, 1);
    }

    /** The rule events and metrics are about. */
    Rule rule() {
        return new Rule(ruleName, EVERY_PATH, Set.of(), "envoy", spec(), 0, shadow, true);
    }
}
