package dev.tollgate.examples;

import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * An alert channel named {@value #NAME} that appends each alert to a file as one line of JSON. Settings:
 * {@code path}, the file (required; created when missing).
 * <pre>
 * alerts:
 *   channels:
 *     jsonl: { path: /var/log/tollgate/alerts.jsonl }
 * </pre>
 */
public final class JsonLinesChannelProvider implements AlertChannelProvider {

    /** The channel's name in configurations. */
    public static final String NAME = "jsonl";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AlertChannel create(Vertx vertx, JsonObject config) {
        Set<String> unknown = new TreeSet<>(config.fieldNames());
        unknown.remove("path");
        if (!unknown.isEmpty()) {
            throw new SettingsException(unknown.iterator().next(), "unknown setting of the jsonl channel; known: path");
        }
        Object path = config.getValue("path");
        if (!(path instanceof String text) || text.isBlank()) {
            throw new SettingsException("path", "required: the file alerts are appended to, as in path: alerts.jsonl");
        }
        return new JsonLinesChannel(vertx, text);
    }
}
