package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.monitor.spi.LogFormatProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LogFormatsTest {

    private static final String CSV = "\"10.0.0.2\",\"-\",\"apache\",1549573860,\"GET /api/user HTTP/1.0\",200,1234";
    private static final String COMMON =
            "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326";
    private static final String COMBINED = COMMON + " \"-\" \"curl/8.0\"";

    @Test
    void theServiceLoaderFindsTheShippedFormats() {
        assertThat(LogFormats.fromServiceLoader().names()).containsExactly("combined", "common", "csv");
        assertThat(LogFormats.builtIn().names()).containsExactly("combined", "common", "csv");
    }

    @Test
    void anUnknownFormatFailsListingTheKnownOnes() {
        assertThatThrownBy(() -> LogFormats.builtIn().provider("apache"))
                .isInstanceOf(MonitorException.class)
                .hasMessage("unknown log format 'apache'; known formats: combined, common, csv");
    }

    @Test
    void detectsEachFormatFromItsFirstLines() {
        LogFormats formats = LogFormats.builtIn();
        assertThat(detect(formats, CsvLines.HEADER.strip(), CSV)).isEqualTo("csv");
        assertThat(detect(formats, CSV, CSV)).isEqualTo("csv");
        assertThat(detect(formats, COMMON, COMMON)).isEqualTo("common");
        assertThat(detect(formats, COMBINED, COMBINED)).isEqualTo("combined");
        assertThat(detect(formats, "garbage", COMBINED, COMBINED)).isEqualTo("combined");
        assertThat(formats.detect(lines("garbage", "more garbage"))).isEmpty();
    }

    @Test
    void aRegisteredFormatIsUsableByNameAndDetected() {
        LogFormats formats = LogFormats.builtIn().register(new PipeLogFormat());

        assertThat(formats.names()).containsExactly("combined", "common", "csv", "pipe");
        assertThat(detect(formats, "10.0.0.1|1000|GET|/api/a|200|5")).isEqualTo("pipe");
        assertThat(detect(formats, CSV)).isEqualTo("csv");
    }

    @Test
    void theMonitorRunsAPluginFormatGivenByName() {
        MonitorOptions options = MonitorOptions.builder()
                .formats(LogFormats.builtIn().register(new PipeLogFormat()))
                .format("pipe")
                .json(true)
                .build();

        MonitorRun run = MonitorRun.of(options, "10.0.0.1|1000|GET|/api/a|200|5\n10.0.0.2|1001|POST|/b|500|7\n");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("\"format\":\"pipe\"", "\"records\":2", "\"bad_lines\":0");
    }

    @Test
    void theMonitorRefusesAnUnknownFormatWithExitCode2() {
        MonitorRun run = MonitorRun.of(MonitorOptions.builder().format("apache").build(), CSV + "\n");

        assertThat(run.exitCode()).isEqualTo(LogMonitor.EXIT_CANNOT_START);
        assertThat(run.errLines())
                .containsExactly("tollgate monitor: unknown log format 'apache'; known formats: combined, common, csv");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void theMonitorRefusesInputItCannotRecognise() {
        MonitorRun run = MonitorRun.of(MonitorOptions.defaults(), "what\nis\nthis\n");

        assertThat(run.exitCode()).isEqualTo(LogMonitor.EXIT_CANNOT_START);
        assertThat(run.errLines())
                .containsExactly("tollgate monitor: cannot tell the format of stdin from its "
                        + "first 3 line(s); choose one with --format (known: combined, common, csv)");
    }

    private static String detect(LogFormats formats, String... lines) {
        return formats.detect(lines(lines)).map(LogFormatProvider::name).orElse("none");
    }

    private static List<byte[]> lines(String... lines) {
        return Stream.of(lines).map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
