package dev.tollgate.alerting;

import dev.tollgate.alerting.spi.AlertChannel;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Logs each alert's subject and text as one record. */
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
            LOG.log(level, alert.subject() + System.lineSeparator() + alert.text());
            return Future.succeededFuture(new JsonObject().put("logger", LogChannelProvider.LOGGER)
                    .put("level", level.getName()));
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
