package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.plugin.Settings;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;

/**
 * Writes alerts to the log (java.util.logging, logger {@value #LOGGER}), under the name {@value #NAME}:
 * one record per alert, its subject and text on one line with line breaks and control characters
 * escaped ({@link dev.tollgate.core.Printable#escape}). Settings: {@code level}, one of {@code SEVERE},
 * {@code WARNING} (default) and {@code INFO}.
 */
public final class LogChannelProvider implements AlertChannelProvider {

    /** The channel's name in configurations. */
    public static final String NAME = "log";
    /** The logger alerts are written to. */
    public static final String LOGGER = "dev.tollgate.alerts";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AlertChannel create(Vertx vertx, Settings settings) {
        settings.requireOnly("log channel", Set.of("level"));
        String level = settings.text("level", "WARNING").toUpperCase(Locale.ROOT);
        return new LogChannel(
                switch (level) {
                    case "SEVERE" -> Level.SEVERE;
                    case "WARNING" -> Level.WARNING;
                    case "INFO" -> Level.INFO;
                    default -> throw settings.problem("level", "expected SEVERE, WARNING or INFO, got '" + level + "'");
                });
    }
}
