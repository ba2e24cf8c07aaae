package dev.tollgate.app;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Writes each log record as one JSON object on one line, for log shippers: {@code time} (ISO-8601, UTC),
 * {@code level} ({@code INFO}), {@code logger}, {@code message} (its parameters filled in) and, when the record
 * carries one, {@code thrown} (the stack trace). Line breaks and control characters in a message are escaped,
 * so a record never spans two lines. {@code logging.format: json} installs it on the console; a
 * {@code logging.properties} can name it as a handler's {@code formatter}.
 */
public final class JsonLogFormatter extends Formatter {

    /** The formatter; it has no settings. */
    public JsonLogFormatter() {}

    @Override
    public String format(LogRecord record) {
        JsonObject line = new JsonObject()
                .put("time", record.getInstant().toString())
                .put("level", record.getLevel().getName())
                .put("logger", record.getLoggerName() == null ? "" : record.getLoggerName())
                .put("message", formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                record.getThrown().printStackTrace(out);
            }
            line.put("thrown", trace.toString());
        }
        return line.encode() + System.lineSeparator();
    }
}
