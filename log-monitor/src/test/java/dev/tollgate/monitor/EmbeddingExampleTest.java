package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The embedding example of docs/monitor.md, kept compiling and true. */
class EmbeddingExampleTest {

    @Test
    void theDocumentedEmbeddingWorks() {
        List<String> alerts = new ArrayList<>();
        AtomicLong requests = new AtomicLong();
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        InputStream stdin = InputStream.nullInputStream();

        MonitorOptions options = MonitorOptions.builder()
                .file(SampleLog.path())
                .chunkSize(Duration.ofMinutes(1))
                .listener(new MonitorListener() {
                    @Override
                    public void onAlert(TrafficAlert alert) {
                        alerts.add(alert.toJson().getString("type"));
                    }
                })
                .recordListener((record, late) -> requests.incrementAndGet())
                .build();
        int exitCode = LogMonitor.run(options, stdin, out, out);

        assertThat(exitCode).isZero();
        assertThat(alerts).containsExactly("traffic-high", "traffic-recovered", "traffic-high", "traffic-recovered");
        assertThat(requests).hasValue(4830);
    }
}
