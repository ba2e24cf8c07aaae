package dev.tollgate.examples;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.alerting.spi.Alert;
import dev.tollgate.alerting.spi.AlertChannelContract;
import dev.tollgate.alerting.spi.AlertChannelProvider;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jsonl channel proves itself with the channel contract suite, as every channel does. */
class JsonLinesChannelTest extends AlertChannelContract {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("alerts.jsonl");
    }

    private List<JsonObject> lines() {
        try {
            return Files.exists(file())
                    ? Files.readAllLines(file()).stream().map(JsonObject::new).toList()
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected AlertChannelProvider provider() {
        return new JsonLinesChannelProvider();
    }

    @Override
    protected JsonObject workingConfig() {
        return new JsonObject().put("path", file().toString());
    }

    @Override
    protected boolean received(Alert alert) {
        return lines().stream().anyMatch(line -> line.getString("subject").equals(alert.subject()));
    }

    @Override
    protected Optional<JsonObject> unreachableConfig() {
        try {
            Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
            return Optional.of(new JsonObject()
                    .put("path", notADirectory.resolve("alerts.jsonl").toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void eachAlertIsOneLineOfJson() {
        Alert alert = new Alert(
                "offenders",
                Instant.parse("2026-03-15T12:00:00.123Z"),
                "[tollgate] 1 offender(s) alert",
                "text",
                new JsonObject().put("threshold", 5));

        JsonObject details = await(channel(workingConfig()).send(alert));

        assertThat(details).isEqualTo(new JsonObject().put("path", file().toString()));
        assertThat(lines())
                .containsExactly(new JsonObject()
                        .put("type", "offenders")
                        .put("time", "2026-03-15T12:00:00.123Z")
                        .put("subject", "[tollgate] 1 offender(s) alert")
                        .put("body", new JsonObject().put("threshold", 5)));
    }

    @Test
    void aMissingPathIsRefused() {
        assertRefused(
                new JsonObject(),
                "path",
                "alerts.channels.jsonl.path: required: the file alerts are appended to, as in path: alerts.jsonl");
    }
}
