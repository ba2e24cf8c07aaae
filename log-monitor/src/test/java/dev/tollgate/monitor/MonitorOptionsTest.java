package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorOptionsTest {

    @Test
    void hasTheDocumentedDefaults() {
        MonitorOptions options = MonitorOptions.defaults();

        assertThat(options.file()).isEmpty();
        assertThat(options.follow()).isFalse();
        assertThat(options.format()).isEmpty();
        assertThat(options.chunkSize()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.threshold()).isEqualTo(10.0);
        assertThat(options.window()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.lateness()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.maxJump()).isEqualTo(Duration.ofHours(1));
        assertThat(options.output()).isEmpty();
        assertThat(options.json()).isFalse();
        assertThat(options.progress()).isEqualTo(MonitorOptions.Progress.AUTO);
        assertThat(options.top()).isEqualTo(5);
        assertThat(options.formats().names()).containsExactly("combined", "common", "csv");
    }

    @Test
    void readsEveryFlag() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("file", "access.log");
        flags.put("--follow", "");
        flags.put("format", "Combined");
        flags.put("chunksize", "30s");
        flags.put("threshold", "12.5");
        flags.put("window", "1m30s");
        flags.put("lateness", "0");
        flags.put("timeout", "1h");
        flags.put("max-jump", "6h");
        flags.put("output", "report.txt");
        flags.put("json", "true");
        flags.put("progress", "never");
        flags.put("top", "3");

        MonitorOptions options = MonitorOptions.builder().flags(flags).build();

        assertThat(options.file()).contains(Path.of("access.log"));
        assertThat(options.follow()).isTrue();
        assertThat(options.format()).contains("combined");
        assertThat(options.chunkSize()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.threshold()).isEqualTo(12.5);
        assertThat(options.window()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.lateness()).isZero();
        assertThat(options.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(options.maxJump()).isEqualTo(Duration.ofHours(6));
        assertThat(options.output()).contains(Path.of("report.txt"));
        assertThat(options.json()).isTrue();
        assertThat(options.progress()).isEqualTo(MonitorOptions.Progress.NEVER);
        assertThat(options.top()).isEqualTo(3);
        assertThat(options.toBuilder().build().window()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void readsDurationsAsWholeSeconds() {
        assertThat(window("120")).isEqualTo(Duration.ofMinutes(2));
        assertThat(window("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(window("120s")).isEqualTo(Duration.ofMinutes(2));
        assertThat(window("2000ms")).isEqualTo(Duration.ofSeconds(2));
        assertThat(window("1d")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void rejectsBadValuesNamingTheFlag() {
        assertThatThrownBy(() -> window("500ms"))
                .hasMessageContaining("--window")
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> window("2 minutes")).hasMessageContaining("--window: invalid duration '2 minutes'");
        assertThatThrownBy(() -> window("1m30")).hasMessageContaining("has no unit");
        assertThatThrownBy(() -> window("0")).hasMessageContaining("--window must be whole seconds, at least 1s");
        assertThatThrownBy(() -> flags("threshold", "high")).hasMessage("--threshold takes a number; got 'high'");
        assertThatThrownBy(() -> flags("threshold", "-1")).hasMessageContaining("--threshold must be");
        assertThatThrownBy(() -> flags("top", "0")).hasMessage("--top must be at least 1; got 0");
        assertThatThrownBy(() -> flags("max-jump", "0"))
                .hasMessage("--max-jump must be whole seconds, at least 1s; got 0ms");
        assertThatThrownBy(() -> flags("max-jump", "soon"))
                .hasMessageStartingWith("--max-jump: invalid duration 'soon'");
        assertThatThrownBy(() -> flags("json", "maybe")).hasMessage("--json takes true or false; got 'maybe'");
        assertThatThrownBy(() -> flags("progress", "sometimes")).hasMessageContaining("auto, always or never");
        assertThatThrownBy(() -> flags("colour", "red"))
                .isInstanceOf(MonitorException.class)
                .hasMessageStartingWith("unknown option --colour; known: --chunksize, --file, --follow");
        assertThatThrownBy(() -> flags("follow", "true")).hasMessageContaining("--follow needs a FILE");
    }

    @Test
    void refusesAnEmptyFileOutputOrFormatName() {
        assertThatThrownBy(() -> MonitorOptions.builder().file(Path.of("")).build())
                .isInstanceOf(MonitorException.class)
                .hasMessage("--file needs a value");
        assertThatThrownBy(() -> MonitorOptions.builder().output(Path.of("")).build())
                .hasMessage("--output needs a value");
        assertThatThrownBy(() -> MonitorOptions.builder().format(" ").build()).hasMessage("--format needs a value");
    }

    private static Duration window(String value) {
        return flags("window", value).window();
    }

    private static MonitorOptions flags(String flag, String value) {
        return MonitorOptions.builder().flags(Map.of(flag, value)).build();
    }
}
