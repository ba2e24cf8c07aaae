package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A key that was blocked in the window, and how often.
 *
 * @param key          the client identity
 * @param blockedCount blocked events of the key in the window, at least 1
 */
public record Offender(String key, long blockedCount) {

    public Offender {
        Objects.requireNonNull(key, "key");
        if (blockedCount < 1) {
            throw new IllegalArgumentException("an offender has at least one blocked event, got " + blockedCount);
        }
    }

    /** {@code {key, blocked_count}}. */
    public JsonObject toJson() {
        return new JsonObject().put("key", key).put("blocked_count", blockedCount);
    }
}
