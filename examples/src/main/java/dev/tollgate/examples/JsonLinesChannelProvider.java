package dev.tollgate.examples;

import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Vertx;
import java.util.Set;

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
    public AlertChannel create(Vertx vertx, Settings settings) {
        settings.requireOnly("jsonl channel", Set.of("path"));
        String path = settings.text("path")
                .orElseThrow(() -> settings.problem(
                        "path", "required: the file alerts are appended to, as in path: alerts.jsonl"));
        return new JsonLinesChannel(vertx, path);
    }
}
