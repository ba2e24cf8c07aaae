package dev.tollgate.core;

import dev.tollgate.limiter.Decision;
import java.util.Optional;

/**
 * What one rule said about a request.
 *
 * @param rule     the rule
 * @param key      the key the request was counted against
 * @param decision the limiter's decision; empty when the limiter failed
 */
public record RuleResult(Rule rule, String key, Optional<Decision> decision) {

    /** Whether this rule would block the request (a shadow rule never actually does). */
    public boolean blocks() {
        return decision.map(d -> !d.allowed()).orElse(false);
    }

    /** Whether the limiter could not decide. */
    public boolean failed() {
        return decision.isEmpty();
    }
}
