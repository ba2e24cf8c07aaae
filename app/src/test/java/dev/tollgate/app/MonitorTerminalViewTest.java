package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.monitor.SampleLog;
import dev.tollgate.test.support.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate monitor --tui} on a real pseudo-terminal: a tmux server of its own runs the command in a
 * 120 × 50 pane; the test reads the screen with {@code capture-pane}, presses keys with {@code send-keys}, and
 * compares the figures on the screen with what {@code --json} reports for the same log.
 */
class MonitorTerminalViewTest {

    private static final Path TMUX = Path.of("/usr/bin/tmux");
    private static final Duration SCREEN_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final String socket = "tollgate-tui-" + UUID.randomUUID();
    private String lastScreen = "";
    private long lastCapture;

    @AfterEach
    void stopTmux() throws Exception {
        if (Files.isExecutable(TMUX)) {
            tmux("kill-server");
        }
    }

    @Test
    void printsTheReportWithOneLineSayingWhyWhenStdoutIsNoTerminal() {
        String[] plain = {"monitor", SampleLog.path().toString(), "--threshold", "10", "--progress", "never"};
        String[] tui = {"monitor", SampleLog.path().toString(), "--threshold", "10", "--progress", "never", "--tui"};
        StringWriter plainOut = new StringWriter();
        StringWriter tuiOut = new StringWriter();
        StringWriter tuiErr = new StringWriter();
        assertThat(Main.run(plain, new PrintWriter(plainOut), new PrintWriter(new StringWriter()), Map.of()))
                .isZero();
        assertThat(Main.run(tui, new PrintWriter(tuiOut), new PrintWriter(tuiErr), Map.of()))
                .isZero();
        assertThat(tuiErr.toString().lines().toList())
                .containsExactly(
                        "tollgate monitor: no --tui view: stdout is not a terminal; printing the report instead");
        assertThat(withoutTiming(tuiOut.toString())).isEqualTo(withoutTiming(plainOut.toString()));
    }

    /** The report without the run's wall time, the one line that differs between two runs. */
    private static String withoutTiming(String report) {
        return report.replaceAll("read in [0-9.]+ s", "read in …");
    }

    @Test
    void showsTheFiguresTheJsonReportGivesAndGivesTheTerminalBack() throws Exception {
        assumeTrue(
                Files.isExecutable(TMUX),
                "tmux not found at " + TMUX + "; install it (apt-get install -y tmux; scripts/test.sh does)");
        JsonReportOfSample json = JsonReportOfSample.read();
        Path script = dir.resolve("run.sh");
        Files.writeString(
                script,
                "#!/bin/sh\n" + "java -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName()
                        + " monitor --tui --threshold 10 '" + SampleLog.path() + "'\n"
                        + "echo \"monitor exited with $?\"\n"
                        + "exec sleep 600\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        tmux(
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "tui",
                "-x",
                "120",
                "-y",
                "50",
                "env",
                "LANG=C.UTF-8",
                "TERM=screen",
                script.toString());

        String ended = screenWith("[input ended, q quits]");
        assertThat(ended)
                .contains("requests " + json.records() + "   bytes " + json.bytes() + "   bad " + json.badLines()
                        + "   late " + json.lateLines() + "   lines " + json.lines())
                .contains("alerts    " + json.alerts() + " raised, " + json.recoveries() + " recovered")
                .contains("100%");
        JsonObject lastChunk = json.lastChunk();
        assertThat(ended).contains("top sections").contains(lastChunk.getLong("requests") + " requests");
        for (Object row : lastChunk.getJsonArray("sections")) {
            JsonObject section = (JsonObject) row;
            assertThat(ended)
                    .containsPattern("\\n  " + java.util.regex.Pattern.quote(section.getString("section")) + " +"
                            + section.getLong("hits") + " ");
        }
        JsonArray alerts = json.alertList();
        JsonObject newest = alerts.getJsonObject(alerts.size() - 1);
        assertThat(ended).contains("hits " + newest.getLong("hits"));

        tmux("send-keys", "-t", "tui", "t");
        String hosts = screenWith("top hosts");
        for (Object row : lastChunk.getJsonArray("hosts")) {
            JsonObject host = (JsonObject) row;
            assertThat(hosts)
                    .containsPattern("\\n  " + java.util.regex.Pattern.quote(host.getString("host")) + " +"
                            + host.getLong("hits") + " ");
        }
        tmux("send-keys", "-t", "tui", "t");
        String methods = screenWith("top methods");
        lastChunk
                .getJsonObject("methods")
                .forEach(e -> assertThat(methods).containsPattern("\\n  " + e.getKey() + " +" + e.getValue() + " "));
        tmux("send-keys", "-t", "tui", "t");
        String codes = screenWith("top status codes");
        lastChunk
                .getJsonObject("status_codes")
                .forEach(e -> assertThat(codes).containsPattern("\\n  " + e.getKey() + " +" + e.getValue() + " "));

        tmux("send-keys", "-t", "tui", "p");
        screenWith("[PAUSED (p resumes)]");
        tmux("send-keys", "-t", "tui", "p");
        screenWith("[input ended, q quits]");

        tmux("send-keys", "-t", "tui", "?");
        assertThat(screenWith("p   pause")).contains("t   next top table");
        tmux("send-keys", "-t", "tui", "?");
        screenWith("top status codes");

        tmux("send-keys", "-t", "tui", "q");
        String after = screenWith("monitor exited with 0");
        assertThat(after)
                .contains("summary   4,831 lines: 4,830 requests, 0 bad, 0 late")
                .doesNotContain("q quits");
        assertThat(tmux("display-message", "-p", "-t", "tui", "#{alternate_on}").trim())
                .as("the alternate screen is left")
                .isEqualTo("0");
    }

    @Test
    void readsTheLogFromStdinAndTheKeysFromTheTerminal() throws Exception {
        assumeTrue(Files.isExecutable(TMUX), "tmux not found at " + TMUX);
        start("cat '" + SampleLog.path() + "' | " + monitor("--tui --threshold 10"));

        assertThat(screenWith("[input ended, q quits]"))
                .contains("stdin")
                .contains("requests 4830 ")
                .contains("alerts    2 raised, 2 recovered");
        tmux("send-keys", "-t", "tui", "t");
        screenWith("top hosts");
        tmux("send-keys", "-t", "tui", "q");
        screenWith("monitor exited with 0");
        assertThat(screenWith("modes ")).contains("modes icanon echo");
    }

    @Test
    void ctrlCEndsAFollowedFileAndGivesTheTerminalBack() throws Exception {
        assumeTrue(Files.isExecutable(TMUX), "tmux not found at " + TMUX);
        Path log = dir.resolve("access.log");
        Files.copy(SampleLog.path(), log);
        start(monitor("--tui --follow --threshold 10 '" + log + "'"));

        screenWith("[following]");
        screenWith("requests 4830 ");
        tmux("send-keys", "-t", "tui", "C-c");
        screenWith("monitor exited with 0");
        assertThat(screenWith("modes "))
                .contains("summary   4,831 lines: 4,830 requests, 0 bad, 0 late")
                .contains("modes icanon echo");
        assertThat(tmux("display-message", "-p", "-t", "tui", "#{alternate_on}").trim())
                .isEqualTo("0");
    }

    private static String monitor(String flags) {
        return "java -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName() + " monitor " + flags;
    }

    /** Runs {@code command} in a new tmux pane; the pane then shows its exit code and the tty's modes. */
    private void start(String command) throws IOException, InterruptedException {
        Path script = dir.resolve("run.sh");
        Files.writeString(
                script,
                "#!/bin/bash\n" + "trap true INT\n" + command + "\n" + "echo \"monitor exited with $?\"\n"
                        + "echo \"modes $(stty -a | grep -o -- '-\\?icanon' | head -1)"
                        + " $(stty -a | grep -o -- ' -\\?echo ' | head -1 | tr -d ' ')\"\n"
                        + "exec sleep 600\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        tmux(
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "tui",
                "-x",
                "120",
                "-y",
                "50",
                "env",
                "LANG=C.UTF-8",
                "TERM=screen",
                script.toString());
    }

    /** The screen once it shows {@code text}, polled with a generous limit. */
    private String screenWith(String text) {
        Await.until(
                () -> capture().contains(text), "the screen to show '" + text + "'", SCREEN_LIMIT, () -> lastScreen);
        return lastScreen;
    }

    /** The pane's text, captured at most five times a second. */
    private String capture() {
        if (System.nanoTime() - lastCapture < 200_000_000L) {
            return lastScreen;
        }
        lastCapture = System.nanoTime();
        try {
            lastScreen = tmux("capture-pane", "-p", "-t", "tui");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return lastScreen;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TMUX.toString(), "-L", socket));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    /** What {@code tollgate monitor --json} reports on the sample. */
    private record JsonReportOfSample(List<JsonObject> objects) {

        static JsonReportOfSample read() {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(
                    new String[] {"monitor", SampleLog.path().toString(), "--json", "--threshold", "10"},
                    new PrintWriter(out),
                    new PrintWriter(err),
                    Map.of());
            assertThat(code).as(err.toString()).isZero();
            return new JsonReportOfSample(out.toString()
                    .lines()
                    .filter(l -> !l.isBlank())
                    .map(JsonObject::new)
                    .toList());
        }

        JsonObject summary() {
            return of("summary").get(0);
        }

        long records() {
            return summary().getLong("records");
        }

        long lines() {
            return summary().getLong("lines");
        }

        long badLines() {
            return summary().getLong("bad_lines");
        }

        long lateLines() {
            return summary().getLong("late_lines");
        }

        long alerts() {
            return summary().getLong("alerts");
        }

        long recoveries() {
            return summary().getLong("recoveries");
        }

        long bytes() {
            return of("stats").stream().mapToLong(o -> o.getLong("bytes")).sum();
        }

        JsonObject lastChunk() {
            List<JsonObject> chunks = of("stats");
            return chunks.get(chunks.size() - 1);
        }

        JsonArray alertList() {
            JsonArray alerts = new JsonArray();
            objects.stream()
                    .filter(o -> o.getString("type").startsWith("traffic-"))
                    .forEach(alerts::add);
            return alerts;
        }

        private List<JsonObject> of(String type) {
            return objects.stream()
                    .filter(o -> type.equals(o.getString("type")))
                    .toList();
        }
    }
}
