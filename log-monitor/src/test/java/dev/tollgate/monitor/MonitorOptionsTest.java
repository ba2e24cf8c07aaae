package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
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
    void takesEveryOption() {
        MonitorOptions options = MonitorOptions.builder()
                .file(Path.of("access.log"))
                .follow(true)
                .format("combined")
                .chunkSize(Duration.ofSeconds(30))
                .threshold(12.5)
                .window(Duration.ofSeconds(90))
                .lateness(Duration.ZERO)
                .timeout(Duration.ofHours(1))
                .maxJump(Duration.ofHours(6))
                .output(Path.of("report.txt"))
                .json(true)
                .progress(MonitorOptions.Progress.NEVER)
                .top(3)
                .build();

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
    void refusesValuesOutOfRangeNamingTheFlag() {
        assertThatThrownBy(() ->
                        MonitorOptions.builder().window(Duration.ofMillis(500)).build())
                .isInstanceOf(MonitorException.class)
                .hasMessage("--window must be whole seconds, at least 1s; got 500ms");
        assertThatThrownBy(() -> MonitorOptions.builder().window(Duration.ZERO).build())
                .hasMessage("--window must be whole seconds, at least 1s; got 0ms");
        assertThatThrownBy(() -> MonitorOptions.builder()
                        .lateness(Duration.ofSeconds(-1))
                        .build())
                .hasMessage("--lateness must be whole seconds, at least 0s; got -1000ms");
        assertThatThrownBy(() -> MonitorOptions.builder().maxJump(Duration.ZERO).build())
                .hasMessage("--max-jump must be whole seconds, at least 1s; got 0ms");
        assertThatThrownBy(() -> MonitorOptions.builder()
                        .window(Duration.ofDays(7))
                        .lateness(Duration.ofSeconds(1))
                        .build())
                .hasMessage("--window plus --lateness must not exceed 7 days");
        assertThatThrownBy(() -> MonitorOptions.builder().threshold(-1).build())
                .hasMessage("--threshold must be a number of requests per second, 0 or more; got -1.0");
        assertThatThrownBy(() -> MonitorOptions.builder().threshold(Double.NaN).build())
                .hasMessageStartingWith("--threshold must be");
        assertThatThrownBy(() -> MonitorOptions.builder().top(0).build()).hasMessage("--top must be at least 1; got 0");
        assertThatThrownBy(() -> MonitorOptions.builder().follow(true).build())
                .hasMessageContaining("--follow needs a FILE");
    }

    @Test
    void takesADurationTooLongForNanoseconds() {
        assertThat(MonitorOptions.builder()
                        .maxJump(Duration.ofDays(1_000_000))
                        .build()
                        .maxJump())
                .isEqualTo(Duration.ofDays(1_000_000));
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
}
