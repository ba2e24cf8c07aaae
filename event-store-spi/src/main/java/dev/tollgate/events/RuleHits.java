package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * How often a rule decided in the window.
 *
 * @param ruleName the rule, never empty
 * @param hits     events naming the rule
 * @param blocked  of those, the blocked ones
 */
public record RuleHits(String ruleName, long hits, long blocked) {

    public RuleHits {
        Objects.requireNonNull(ruleName, "ruleName");
        if (ruleName.isEmpty()) {
            throw new IllegalArgumentException("rule hits are counted for named rules only");
        }
        if (blocked < 0 || hits < blocked) {
            throw new IllegalArgumentException("need 0 <= blocked <= hits, got hits=" + hits + ", blocked=" + blocked);
        }
    }

    /** {@code {rule_name, hits, blocked}}. */
    public JsonObject toJson() {
        return new JsonObject().put("rule_name", ruleName).put("hits", hits).put("blocked", blocked);
    }
}
