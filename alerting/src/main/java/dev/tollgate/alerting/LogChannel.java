package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannel;
import dev.tollgate.core.Printable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs each alert as one record on one line: its subject, {@code \n}, its text, escaped with
 * {@link Printable#escape}. The text's own line breaks are escaped too, since a key from traffic may
 * hold one: whatever a client put in its key, the record cannot hold a control character or a line
 * that looks like another record, and unescaping it gives the alert's subject and text back exactly.
 */
final class LogChannel implements AlertChannel {

    private static final Logger LOG = Logger.getLogger(LogChannelProvider.LOGGER);

    private final Level level;
    private volatile boolean closed;

    LogChannel(Level level) {
        this.level = level;
    }

    @Override
    public Future<JsonObject> send(Alert alert) {
        if (closed) {
            return Future.failedFuture(new AlertingException("the log channel is closed"));
        }
        try {
            LOG.log(level, Printable.escape(alert.subject() + "\n" + alert.text()));
            return Future.succeededFuture(
                    new JsonObject().put("logger", LogChannelProvider.LOGGER).put("level", level.getName()));
        } catch (RuntimeException e) {
            return Future.failedFuture(new AlertingException("the log refused the alert: " + e.getMessage(), e));
        }
    }

    @Override
    public Future<Void> close() {
        closed = true;
        return Future.succeededFuture();
    }
}
