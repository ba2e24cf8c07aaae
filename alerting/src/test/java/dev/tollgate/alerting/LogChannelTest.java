package dev.tollgate.alerting;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannelContract;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.events.Offender;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LogChannelTest extends AlertChannelContract {

    private final Logger logger = Logger.getLogger(LogChannelProvider.LOGGER);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    void capture() {
        logger.addHandler(capture);
    }

    @AfterAll
    void release() {
        logger.removeHandler(capture);
    }

    @Override
    protected AlertChannelProvider provider() {
        return new LogChannelProvider();
    }

    @Override
    protected JsonObject workingConfig() {
        return new JsonObject();
    }

    @Override
    protected boolean received(Alert alert) {
        return records.stream().anyMatch(record -> record.getMessage().startsWith(alert.subject()));
    }

    @Test
    void logsTheSubjectAndTextAtWarningUnlessTold() {
        Alert alert = uniqueAlert();

        await(channel(workingConfig()).send(alert));
        Alert quiet = uniqueAlert();
        await(channel(new JsonObject().put("level", "info")).send(quiet));

        LogRecord warning = records.stream()
                .filter(r -> r.getMessage().startsWith(alert.subject()))
                .findFirst()
                .orElseThrow();
        assertThat(warning.getLevel()).isEqualTo(Level.WARNING);
        assertThat(warning.getMessage())
                .isEqualTo(alert.subject() + "\\n" + alert.text().replace("\n", "\\n"));
        assertThat(records.stream()
                        .filter(r -> r.getMessage().startsWith(quiet.subject()))
                        .findFirst()
                        .orElseThrow()
                        .getLevel())
                .isEqualTo(Level.INFO);
    }

    @Test
    void anOffenderKeyWithControlCharactersCannotForgeALogLineOrReachTheTerminal() {
        String key = "ip:203.0.113.5\u001b[2J\r\nSEVERE: dev.tollgate.alerts forged\u0007\u009b\\x1b";
        Alert alert = OffenderAlerts.alert(
                5,
                1,
                List.of(new Offender(key, 12), new Offender("user:42", 5)),
                Instant.parse("2026-03-15T12:00:00Z"));

        await(channel(workingConfig()).send(alert));

        LogRecord record = records.stream()
                .filter(r -> r.getMessage().contains("user:42"))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(record.getMessage())
                .isEqualTo("[tollgate] 2 offender(s) alert\\n"
                        + "2 rate-limit offender(s) exceeded 5 blocked requests in the last 1 day(s):\\n\\n"
                        // the alert's text has the key escaped already; the line escapes that text once more
                        + "ip:203.0.113.5\\\\x1b[2J\\\\r\\\\nSEVERE: dev.tollgate.alerts forged\\\\x07\\\\x9b\\\\\\\\x1b: 12 blocked\\n"
                        + "user:42: 5 blocked");
        assertThat(record.getMessage().chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)))
                .isEmpty();
        SimpleFormatter formatter = new SimpleFormatter();
        LogRecord plain = new LogRecord(Level.WARNING, "plain");
        assertThat(formatter.format(record).lines())
                .as("the record as a log file has it")
                .hasSameSizeAs(formatter.format(plain).lines().toList());
    }

    @Test
    void anUnknownLevelIsRefused() {
        assertRefused(
                new JsonObject().put("level", "loud"),
                "level",
                "alerts.channels.log.level: expected SEVERE, WARNING or INFO, got 'LOUD'");
    }
}
