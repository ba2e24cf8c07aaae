package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One audited change of a dashboard rule ({@link StoredRule}): who did what to which rule when, with its
 * configuration before and after. The store records it in the same atomic step as the change itself.
 *
 * <p>{@link JsonObject} is mutable: the record keeps copies of the configurations it is given and hands out copies.
 *
 * @param id       increases in the order the changes were made
 * @param at       when, to the millisecond
 * @param who      who made the change
 * @param action   what the change was, as the caller named it ({@code create}, {@code update}, {@code disable},
 *                 ...); {@code delete} for {@link EventStore#deleteRule}
 * @param ruleName the rule changed
 * @param before   the configuration before, {@code null} for a creation
 * @param after    the configuration after, {@code null} for a deletion
 */
public record RuleChange(
        long id, Instant at, String who, String action, String ruleName, JsonObject before, JsonObject after) {

    public RuleChange {
        at = Timestamps.truncate(at);
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(ruleName, "ruleName");
        before = before == null ? null : before.copy();
        after = after == null ? null : after.copy();
    }

    /** A copy of the configuration before the change; {@code null} for a creation. */
    @Override
    public JsonObject before() {
        return before == null ? null : before.copy();
    }

    /** A copy of the configuration after the change; {@code null} for a deletion. */
    @Override
    public JsonObject after() {
        return after == null ? null : after.copy();
    }

    /**
     * {@code {id, at, who, action, rule_name, before, after}}, {@code before} and {@code after} JSON {@code null}
     * when absent.
     */
    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("at", Timestamps.format(at))
                .put("who", who)
                .put("action", action)
                .put("rule_name", ruleName)
                .put("before", before())
                .put("after", after());
    }
}
