package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.monitor.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MonitorCommandTest {

    @Test
    void theSharedSampleRaisesTwoAlertsAndTwoRecoveries() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"monitor", SharedData.sampleCsv().toString(), "--threshold", "10",
                "--progress", "never"}, new PrintWriter(out), new PrintWriter(err), Map.of());
        assertThat(code).as(err.toString()).isZero();
        Matcher alerts = Pattern.compile("High traffic generated an alert - hits = \\d+, triggered at (\\d+)").matcher(out.toString());
        Matcher recoveries = Pattern.compile("High traffic alert recovered at (\\d+)").matcher(out.toString());
        StringBuilder seen = new StringBuilder();
        while (alerts.find()) {
            seen.append("alert ").append(alerts.group(1)).append(' ');
        }
        while (recoveries.find()) {
            seen.append("recovered ").append(recoveries.group(1)).append(' ');
        }
        assertThat(seen.toString().trim())
                .isEqualTo("alert 1549573956 alert 1549574163 recovered 1549574043 recovered 1549574302");
    }

    @Test
    void replayingTheSampleThroughARuleReportsWhoWouldBeBlocked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path config = dir.resolve("replay.yaml");
        java.nio.file.Files.writeString(config, """
                rules: [ { name: reports, path: "/report/*", algorithm: fixed-window, limit: 10, window: 1m } ]
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"monitor", SharedData.sampleCsv().toString(), "--progress", "never",
                "--rules", config.toString()}, new PrintWriter(out), new PrintWriter(err), Map.of());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("replay    4,830 requests through 1 rule(s), 900 events recorded")
                .containsPattern("rule reports: [0-9,]+ of 900 requests would be blocked")
                .containsPattern("ip:10\\.0\\.0\\.[0-9] +[0-9,]+");
    }

    @Test
    void aFileThatCannotBeOpenedExitsWithTwoAndOneLine() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"monitor", "/nonexistent/access.log"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err), Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().count()).isEqualTo(1);
        assertThat(err.toString()).contains("/nonexistent/access.log");
    }

    @Test
    void aBadFlagValueNamesTheFlag() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"monitor", "--threshold", "lots"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err), Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("tollgate monitor: ").contains("threshold");
    }
}
