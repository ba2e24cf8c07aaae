package dev.tollgate.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.alerting.spi.AlertChannelContract;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import dev.tollgate.core.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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
        public void flush() {
        }

        @Override
        public void close() {
        }
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

        LogRecord warning = records.stream().filter(r -> r.getMessage().startsWith(alert.subject())).findFirst().orElseThrow();
        assertThat(warning.getLevel()).isEqualTo(Level.WARNING);
        assertThat(warning.getMessage()).isEqualTo(alert.subject() + System.lineSeparator() + alert.text());
        assertThat(records.stream().filter(r -> r.getMessage().startsWith(quiet.subject())).findFirst().orElseThrow()
                .getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void anUnknownLevelIsRefused() {
        assertThatThrownBy(() -> provider().create(vertx, new JsonObject().put("level", "loud")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("level: expected SEVERE, WARNING or INFO, got 'LOUD'"));
    }
}
