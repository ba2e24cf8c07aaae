package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.monitor.LogRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogFormatTest {

    @TempDir
    Path dir;

    private static final Instant AT = Instant.parse("2019-02-07T21:12:36Z");

    private static AccessLogEntry entry(String uri, String referer, String userAgent) {
        return new AccessLogEntry(
                "203.0.113.7", AT, "GET", uri, "HTTP/1.1", 200, 1234, referer, userAgent, "api", "allowed", 3);
    }

    private static final AccessLogEntry HOSTILE = entry(
            "/api/a\"b\r\n203.0.113.9 - - [07/Feb/2019:21:12:37 +0000] \"GET /forged HTTP/1.1\" 200 1",
            "https://example.com/\"\\",
            "curl\"\r\nx\u0000\u001b[2J \u00e9\u2028\ud83d\ude00\\\"");

    @Test
    void aCombinedLineIsTheCombinedLogFormatWithTheRuleOutcomeAndDurationAfterIt() {
        assertThat(AccessLogFormat.COMBINED.line(entry("/api/user?id=42", "-", "curl/8.5.0")))
                .isEqualTo("203.0.113.7 - - [07/Feb/2019:21:12:36 +0000] \"GET /api/user?id=42 HTTP/1.1\" 200 1234"
                        + " \"-\" \"curl/8.5.0\" rule=\"api\" outcome=allowed ms=3");
        assertThat(AccessLogFormat.COMBINED.header()).isEmpty();
    }

    @Test
    void aCsvLineHasTheMonitorsColumnsThenTheExtraOnes() {
        assertThat(AccessLogFormat.CSV.header())
                .hasValue("\"remotehost\",\"rfc931\",\"authuser\",\"date\",\"request\",\"status\",\"bytes\","
                        + "\"referer\",\"useragent\",\"rule\",\"outcome\",\"ms\"");
        assertThat(AccessLogFormat.CSV.line(entry("/api/user?id=42", "-", "curl/8.5.0")))
                .isEqualTo("\"203.0.113.7\",\"-\",\"-\",1549573956,\"GET /api/user?id=42 HTTP/1.1\",200,1234,"
                        + "\"-\",\"curl/8.5.0\",\"api\",\"allowed\",3");
    }

    @Test
    void clientTextWithLineBreaksQuotesAndControlsStaysOneLineOfAscii() {
        for (AccessLogFormat format : AccessLogFormat.values()) {
            String line = format.line(HOSTILE);
            assertThat(line).as(format.formatName()).doesNotContain("\r", "\n", "\u0000", "\u001b", "\\\"");
            assertThat(line.chars()).as(format.formatName()).allMatch(c -> c >= ' ' && c < 0x7f);
            assertThat(line)
                    .contains("/api/a\\x22b\\x0D\\x0A203.0.113.9\\x20-\\x20-")
                    .contains("curl\\x22\\x0D\\x0Ax\\x00\\x1B[2J \\xE9\\xE2\\x80\\xA8\\xF0\\x9F\\x98\\x80\\x5C\\x22");
        }
    }

    @Test
    void theMonitorsCombinedParserReadsTheLinesExtraFieldsAndAll() throws IOException {
        List<LogRecord> records =
                readBack(AccessLogFormat.COMBINED, List.of(entry("/api/user", "-", "curl/8.5.0"), HOSTILE));
        assertThat(records).hasSize(2);
        assertThat(records.get(0).path()).isEqualTo("/api/user");
        assertThat(records.get(0).userAgent()).hasValue("curl/8.5.0");
        assertThat(records.get(0).status()).isEqualTo(200);
        assertThat(records.get(0).bytes()).isEqualTo(1234);
        assertThat(records.get(0).epochSecond()).isEqualTo(AT.getEpochSecond());
        // the parser drops the backslash of an escape: the hostile text stays inside its own fields
        assertThat(records.get(1).host()).isEqualTo("203.0.113.7");
        assertThat(records.get(1).path()).startsWith("/api/ax22b");
        assertThat(records.get(1).userAgent().orElseThrow()).startsWith("curlx22");
    }

    @Test
    void theMonitorsCsvParserReadsTheLinesExtraColumnsAndAll() throws IOException {
        List<LogRecord> records =
                readBack(AccessLogFormat.CSV, List.of(entry("/api/user", "-", "curl/8.5.0"), HOSTILE));
        assertThat(records).hasSize(2);
        assertThat(records.get(0).path()).isEqualTo("/api/user");
        assertThat(records.get(0).status()).isEqualTo(200);
        assertThat(records.get(0).bytes()).isEqualTo(1234);
        assertThat(records.get(0).epochSecond()).isEqualTo(AT.getEpochSecond());
        assertThat(records.get(1).host()).isEqualTo("203.0.113.7");
        assertThat(records.get(1).path()).startsWith("/api/a\\x22b\\x0D\\x0A");
    }

    private List<LogRecord> readBack(AccessLogFormat format, List<AccessLogEntry> entries) throws IOException {
        Path file = dir.resolve("access." + format.formatName());
        StringBuilder text = new StringBuilder();
        format.header().ifPresent(h -> text.append(h).append('\n'));
        entries.forEach(e -> text.append(format.line(e)).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertThat(Files.readAllLines(file))
                .hasSize(entries.size() + (format.header().isPresent() ? 1 : 0));
        AccessLogReadBack read = AccessLogReadBack.read(file, format.formatName());
        assertThat(read.summary().badLines()).as(read.err()).isZero();
        return read.records();
    }
}
