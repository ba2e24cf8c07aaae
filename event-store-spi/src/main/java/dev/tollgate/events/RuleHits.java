package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * How often a rule decided in the window.
 *
 * @param ruleName      the rule, never empty
 * @param hits          events naming the rule
 * @param blocked       of those, the blocked ones (enforced blocks)
 * @param shadowBlocked of those, the ones served although the rule, a shadow rule, would have refused them
 */
public record RuleHits(String ruleName, long hits, long blocked, long shadowBlocked) {

    public RuleHits {
        Objects.requireNonNull(ruleName, "ruleName");
        if (ruleName.isEmpty()) {
            throw new IllegalArgumentException("rule hits are counted for named rules only");
        }
        if (blocked < 0 || shadowBlocked < 0 || hits < blocked + shadowBlocked) {
            throw new IllegalArgumentException("need 0 <= blocked, 0 <= shadowBlocked and blocked + shadowBlocked"
                    + " <= hits, got hits=" + hits + ", blocked=" + blocked + ", shadowBlocked=" + shadowBlocked);
        }
    }

    /** The hits of a rule none of whose events was shadow-blocked. */
    public RuleHits(String ruleName, long hits, long blocked) {
        this(ruleName, hits, blocked, 0);
    }

    /** {@code {rule_name, hits, blocked, shadow_blocked}}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("rule_name", ruleName)
                .put("hits", hits)
                .put("blocked", blocked)
                .put("shadow_blocked", shadowBlocked);
    }
}
