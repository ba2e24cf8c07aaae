package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {

    private final JsonLogFormatter formatter = new JsonLogFormatter();

    private static LogRecord record(Level level, String message, Object... parameters) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("dev.tollgate.app.Server");
        record.setInstant(Instant.parse("2026-12-06T21:00:00.123Z"));
        record.setParameters(parameters);
        return record;
    }

    @Test
    void writesTimeLevelLoggerAndMessageAsOneJsonObjectOnOneLine() {
        String line = formatter.format(record(Level.INFO, "listening on port {0}", "8080"));

        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n");
        assertThat(new JsonObject(line)).isEqualTo(new JsonObject("""
                {"time": "2026-12-06T21:00:00.123Z", "level": "INFO", "logger": "dev.tollgate.app.Server",
                 "message": "listening on port 8080"}"""));
    }

    @Test
    void addsTheStackTraceOfAThrownAndKeepsAMultiLineMessageOnOneLine() {
        LogRecord record = record(Level.WARNING, "the store failed\nSEVERE: forged");
        record.setThrown(new IllegalStateException("connection refused"));

        String line = formatter.format(record);

        assertThat(line.strip()).doesNotContain("\n");
        JsonObject json = new JsonObject(line);
        assertThat(json.getString("level")).isEqualTo("WARNING");
        assertThat(json.getString("message")).isEqualTo("the store failed\nSEVERE: forged");
        assertThat(json.getString("thrown"))
                .startsWith("java.lang.IllegalStateException: connection refused")
                .contains("JsonLogFormatterTest");
    }
}
