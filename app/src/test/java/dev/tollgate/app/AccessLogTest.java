package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {

    @TempDir
    Path dir;

    private static AccessLogEntry request(int n) {
        return new AccessLogEntry(
                "192.0.2.1",
                Instant.ofEpochSecond(1_549_573_956L + n),
                "GET",
                "/api/items/" + n,
                "HTTP/1.1",
                200,
                10,
                "-",
                "test",
                "api",
                "allowed",
                1);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void aFullFileIsRotatedKeepingTheNewestRotatedFilesEachStartingWithTheCsvHeader() throws IOException {
        Path file = dir.resolve("access.log");
        AccessLog log = AccessLog.open(new AccessLogOptions(file.toString(), AccessLogFormat.CSV, 1024, 2, 10_000));
        for (int i = 0; i < 100; i++) {
            log.log(request(i));
        }
        log.close();

        assertThat(log.written()).isEqualTo(100);
        assertThat(log.dropped()).isZero();
        assertThat(files()).containsExactly(file, dir.resolve("access.log.1"), dir.resolve("access.log.2"));
        for (Path each : files()) {
            List<String> lines = Files.readAllLines(each);
            assertThat(lines.get(0)).startsWith("\"remotehost\"");
            assertThat(Files.size(each)).isLessThanOrEqualTo(1024);
        }
        // the newest lines are in access.log, the ones before them in access.log.1, and so on
        List<String> current = Files.readAllLines(file);
        assertThat(current.get(current.size() - 1)).contains("/api/items/99 ");
        List<String> previous = Files.readAllLines(dir.resolve("access.log.1"));
        String lastOfPrevious = previous.get(previous.size() - 1);
        String firstOfCurrent = current.get(1);
        int before = Integer.parseInt(lastOfPrevious.replaceAll(".*/api/items/([0-9]+) .*", "$1"));
        int after = Integer.parseInt(firstOfCurrent.replaceAll(".*/api/items/([0-9]+) .*", "$1"));
        assertThat(after).isEqualTo(before + 1);
    }

    @Test
    void keepingNoRotatedFileStartsTheLogAfresh() throws IOException {
        Path file = dir.resolve("access.log");
        AccessLog log =
                AccessLog.open(new AccessLogOptions(file.toString(), AccessLogFormat.COMBINED, 1024, 0, 10_000));
        for (int i = 0; i < 100; i++) {
            log.log(request(i));
        }
        log.close();

        assertThat(files()).containsExactly(file);
        assertThat(Files.readAllLines(file)).last().asString().contains("/api/items/99 ");
    }

    @Test
    void aLogThatExistsIsAppendedToWithoutASecondHeader() throws IOException {
        Path file = dir.resolve("access.log");
        AccessLogOptions options = new AccessLogOptions(file.toString(), AccessLogFormat.CSV, 1 << 20, 5, 100);
        AccessLog first = AccessLog.open(options);
        first.log(request(1));
        first.close();
        AccessLog second = AccessLog.open(options);
        second.log(request(2));
        second.close();

        assertThat(Files.readAllLines(file))
                .hasSize(3)
                .filteredOn(line -> line.startsWith("\"remotehost\""))
                .hasSize(1);
    }

    @Test
    void linesBeyondAFullQueueAreDroppedAndCountedAndEveryOtherLineIsWritten() throws IOException {
        Path file = dir.resolve("access.log");
        AccessLog log = AccessLog.open(new AccessLogOptions(file.toString(), AccessLogFormat.COMBINED, 1L << 30, 5, 1));
        int sent = 20_000;
        for (int i = 0; i < sent; i++) {
            log.log(request(i));
        }
        log.close();

        assertThat(log.written() + log.dropped()).isEqualTo(sent);
        assertThat(log.written()).isPositive();
        assertThat(Files.readAllLines(file)).hasSize((int) log.written());
        log.log(request(0));
        assertThat(log.dropped()).as("a line after close is dropped").isEqualTo(sent - log.written() + 1);
    }

    @Test
    void aPathThatCannotBeWrittenNamesTheKey() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "");
        String path = blocker.resolve("access.log").toString();
        assertThatThrownBy(() -> AccessLog.open(new AccessLogOptions(path, AccessLogFormat.COMBINED, 1 << 20, 5, 100)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("accessLog.path");
    }
}
