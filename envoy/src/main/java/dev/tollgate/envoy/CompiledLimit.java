package dev.tollgate.envoy;

import dev.tollgate.core.Rule;
import dev.tollgate.limiter.RateLimiter;
import java.util.Optional;

/**
 * A configured limit put to work: the rule its events name, the same as a shadow rule (for a {@code quota_mode}
 * descriptor that is over while the request is served), and the limiter that counts it; no limiter for an unlimited
 * descriptor or a limit of 0.
 */
record CompiledLimit(
        DescriptorLimit limit, Optional<Rule> rule, Optional<Rule> servedRule, Optional<RateLimiter> limiter) {

    static CompiledLimit of(DescriptorLimit limit, Optional<RateLimiter> limiter) {
        if (limit.unlimited()) {
            return new CompiledLimit(limit, Optional.empty(), Optional.empty(), limiter);
        }
        Rule rule = limit.rule();
        Rule served = new Rule(
                rule.name(),
                rule.path(),
                rule.methods(),
                rule.key(),
                rule.limit(),
                rule.priority(),
                true,
                rule.enabled());
        return new CompiledLimit(limit, Optional.of(rule), Optional.of(served), limiter);
    }
}
