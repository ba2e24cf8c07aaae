package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A key of an offender ranking, and how often it was refused in the window.
 *
 * <p>In {@link EventStore#topOffenders} the count is of enforced blocks ({@code blocked_count}, {@link #toJson()});
 * in {@link EventStore#topShadowOffenders} it is of the requests a shadow rule would have refused but that were
 * served ({@code shadow_blocked_count}, {@link #toShadowJson()}).
 *
 * @param key          the client identity
 * @param blockedCount the key's refusals the ranking counts, in the window, at least 1
 */
public record Offender(String key, long blockedCount) {

    public Offender {
        Objects.requireNonNull(key, "key");
        if (blockedCount < 1) {
            throw new IllegalArgumentException("an offender has at least one refused event, got " + blockedCount);
        }
    }

    /** {@code {key, blocked_count}}: a row of {@link EventStore#topOffenders}. */
    public JsonObject toJson() {
        return new JsonObject().put("key", key).put("blocked_count", blockedCount);
    }

    /** {@code {key, shadow_blocked_count}}: a row of {@link EventStore#topShadowOffenders}. */
    public JsonObject toShadowJson() {
        return new JsonObject().put("key", key).put("shadow_blocked_count", blockedCount);
    }
}
