package dev.tollgate.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A rate-limit rule that staff keep from the dashboard, as the event store holds it ({@link EventStore#saveRule}).
 * The store does not interpret the configuration beyond its size; the version lets two editors find out that one
 * of them changed the rule in between instead of overwriting each other.
 *
 * <p>{@link JsonObject} is mutable: the record keeps a copy of the configuration it is given and hands out copies.
 *
 * @param name      the rule's name, its key in the store
 * @param config    the rule as a configuration file's rule holds it, such as
 *                  {@code {"name":"api","path":"/api/*","limit":5,"window":"1m"}}
 * @param version   1 when created, one more on each save
 * @param updatedAt when it was last saved, to the millisecond
 * @param updatedBy who last saved it
 */
public record StoredRule(String name, JsonObject config, long version, Instant updatedAt, String updatedBy) {

    public StoredRule {
        Objects.requireNonNull(name, "name");
        config = Objects.requireNonNull(config, "config").copy();
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, got " + version);
        }
        updatedAt = Timestamps.truncate(updatedAt);
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    /** A copy of the rule's configuration: changing it changes nothing stored. */
    @Override
    public JsonObject config() {
        return config.copy();
    }

    /** {@code {name, config, version, updated_at, updated_by}}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("name", name)
                .put("config", config.copy())
                .put("version", version)
                .put("updated_at", Timestamps.format(updatedAt))
                .put("updated_by", updatedBy);
    }
}
