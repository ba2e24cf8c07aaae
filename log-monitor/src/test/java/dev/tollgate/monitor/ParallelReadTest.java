package dev.tollgate.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A regular file read on several threads gives the report one thread gives, byte for byte: stdout and stderr, text,
 * JSON and the HTML page, on the samples and on a generated million-line log in each format with bad, blank, late, too
 * long (one longer than a part) and far-future lines, CRLF ends, a byte order mark, a second CSV header with other
 * columns, and no final line end; with other lateness, chunk, window and jump settings; and with a record listener,
 * which sees every request in the same order.
 */
class ParallelReadTest {

    private static final long LINES = 1_000_000;
    private static final Pattern SUMMARY =
            Pattern.compile("summary +([0-9,]+) lines: ([0-9,]+) requests, ([0-9,]+) bad, ([0-9,]+) late");
    private static final DateTimeFormatter CLF_DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    @TempDir
    static Path dir;

    private static Path csv;
    private static Path smallCsv;

    @BeforeAll
    static void generate() throws IOException {
        Path plain = dir.resolve("plain.csv");
        SyntheticAccessLog.writeCsv(plain, LINES, 7);
        csv = dir.resolve("hostile.csv");
        roughen(plain, csv, "csv");
        Path smallPlain = dir.resolve("small-plain.csv");
        SyntheticAccessLog.writeCsv(smallPlain, LINES / 10, 8);
        smallCsv = dir.resolve("small-hostile.csv");
        roughen(smallPlain, smallCsv, "csv");
    }

    @Test
    void theProjectSampleReadsTheSameInManySmallParts() {
        assertSameReport(SampleLog.path(), null, 4096, List.of(false, true));
    }

    @Test
    void theSharedSampleReadsTheSameInManySmallParts() {
        assertSameReport(SharedData.sampleCsv(), null, 4096, List.of(false, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "common", "combined"})
    void aMillionHostileLinesReadTheSameOnEveryCountOfThreads(String format) throws IOException {
        Path file = csv;
        if (!format.equals("csv")) {
            file = dir.resolve("hostile." + format);
            if (!Files.exists(file)) {
                roughen(dir.resolve("plain.csv"), file, format);
            }
        }
        long againBefore = ParallelReader.partsParsedAgain();
        long readAgainBefore = ParallelReader.bodiesReadAgain();
        MonitorRun one = assertSameReport(file, format, 1 << 20, List.of(false));
        assertThat(ParallelReader.bodiesReadAgain() - readAgainBefore)
                .as("the parts whose count did not hold (the far-future line), read line by line")
                .isPositive();

        Matcher summary = SUMMARY.matcher(one.out());
        assertThat(summary.find()).as(one.out()).isTrue();
        long requests = Long.parseLong(summary.group(2).replace(",", ""));
        assertThat(requests).as("requests read").isGreaterThan(LINES * 99 / 100);
        assertThat(Long.parseLong(summary.group(3).replace(",", "")))
                .as("bad lines")
                .isGreaterThan(1000);
        assertThat(Long.parseLong(summary.group(4).replace(",", "")))
                .as("late lines")
                .isGreaterThan(1000);
        if (format.equals("csv")) {
            assertThat(ParallelReader.partsParsedAgain() - againBefore)
                    .as("the parts parsed with the first header's columns after the second header, parsed again")
                    .isPositive();
        }
    }

    @Test
    void aDetectedFormatAndADefaultPartSizeReadTheSame() {
        assertSameReport(csv, null, ParallelReader.PART_BYTES, List.of(true));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lateness=0 chunk=1 window=10 jump=3600 part=16384",
                "lateness=30 chunk=7 window=45 jump=3600 part=65536",
                "lateness=700 chunk=60 window=120 jump=300 part=1048576",
                "lateness=5 chunk=10 window=120 jump=1 part=65536"
            })
    void otherLatenessChunksWindowsAndJumpsReadTheSame(String settings) {
        long[] v = Arrays.stream(settings.split(" "))
                .mapToLong(kv -> Long.parseLong(kv.substring(kv.indexOf('=') + 1)))
                .toArray();
        UnaryOperator<MonitorOptions.Builder> set = b -> b.lateness(Duration.ofSeconds(v[0]))
                .chunkSize(Duration.ofSeconds(v[1]))
                .window(Duration.ofSeconds(v[2]))
                .threshold(12)
                .maxJump(Duration.ofSeconds(v[3]));

        long readAgainBefore = ParallelReader.bodiesReadAgain();
        assertSameReport(smallCsv, "csv", (int) v[4], List.of(false), set);
        assertThat(ParallelReader.bodiesReadAgain() - readAgainBefore)
                .as("parts whose count did not hold (late first lines, jumps), read line by line")
                .isPositive();
    }

    @Test
    void aRecordListenerSeesEveryRequestInTheSameOrderOnEveryCountOfThreads() {
        List<String> seen = new ArrayList<>();
        for (int threads : List.of(1, 2)) {
            long[] digest = new long[3];
            RecordListener listener = (record, late) -> {
                digest[0]++;
                digest[1] = digest[1] * 31 + record.lineNumber() * 17 + record.epochSecond() + (late ? 1 : 0);
                digest[2] = digest[2] * 31
                        + record.host().hashCode()
                        + record.path().hashCode();
            };
            MonitorRun run = MonitorRun.of(
                    options(smallCsv, "csv", threads, 1 << 16, false)
                            .recordListener(listener)
                            .build(),
                    "");
            assertThat(digest[0]).as("requests seen").isGreaterThan(LINES / 10 * 99 / 100);
            seen.add(stable(run.out()) + run.err() + Arrays.toString(digest));
        }
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
    }

    @Test
    void aStopBeforeTheReadEndsItWithTheSameEmptyReportOnEveryCountOfThreads() {
        String[] outs = new String[2];
        int[] threads = {1, 4};
        for (int i = 0; i < 2; i++) {
            LogMonitor monitor = LogMonitor.create(
                    options(csv, "csv", threads[i], 1 << 16, false).build());
            monitor.stop();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int code = monitor.run(
                    java.io.InputStream.nullInputStream(),
                    new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(code).isZero();
            outs[i] = stable(out.toString(StandardCharsets.UTF_8));
        }
        assertThat(outs[1]).isEqualTo(outs[0]).contains("0 requests");
    }

    /**
     * Runs one thread, then several in parts of {@code partBytes}, and compares what they print, in text or JSON, and
     * the HTML pages they write; gives the last one-thread run.
     */
    private static MonitorRun assertSameReport(Path file, String format, int partBytes, List<Boolean> jsonOrNot) {
        return assertSameReport(file, format, partBytes, jsonOrNot, b -> b);
    }

    private static MonitorRun assertSameReport(
            Path file,
            String format,
            int partBytes,
            List<Boolean> jsonOrNot,
            UnaryOperator<MonitorOptions.Builder> settings) {
        MonitorRun last = null;
        for (boolean json : jsonOrNot) {
            long partsBefore = ParallelReader.partsParsed();
            Path onePage = dir.resolve("one.html");
            MonitorRun one = MonitorRun.of(
                    settings.apply(options(file, format, 1, partBytes, json).html(onePage))
                            .build(),
                    "");
            assertThat(ParallelReader.partsParsed())
                    .as("one thread reads alone")
                    .isEqualTo(partsBefore);
            assertThat(one.exitCode()).as(one.err()).isZero();
            for (int threads : List.of(2, 3)) {
                long before = ParallelReader.partsParsed();
                long countedBefore = ParallelReader.bodiesCounted();
                Path manyPage = dir.resolve("many.html");
                MonitorRun many = MonitorRun.of(
                        settings.apply(options(file, format, threads, partBytes, json)
                                        .html(manyPage))
                                .build(),
                        "");
                assertThat(ParallelReader.partsParsed() - before)
                        .as("%d threads read %s in parts", threads, file)
                        .isGreaterThan(2);
                assertThat(ParallelReader.bodiesCounted() - countedBefore)
                        .as("parts taken as the workers counted them")
                        .isGreaterThan(0);
                assertThat(many.exitCode()).isEqualTo(one.exitCode());
                assertThat(stable(many.out())).isEqualTo(stable(one.out()));
                assertThat(many.err()).isEqualTo(one.err());
                assertThat(contentOf(manyPage)).isEqualTo(contentOf(onePage));
            }
            last = one;
        }
        return last;
    }

    private static String contentOf(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MonitorOptions.Builder options(Path file, String format, int threads, int partBytes, boolean json) {
        MonitorOptions.Builder options = MonitorOptions.builder()
                .file(file)
                .progress(MonitorOptions.Progress.NEVER)
                .threads(threads)
                .partBytes(partBytes)
                .json(json);
        return format == null ? options : options.format(format);
    }

    /** The report without the run's wall-clock time, the one thing two runs may differ in. */
    private static String stable(String out) {
        return out.replaceAll("read in [0-9.]+ s", "read in _ s").replaceAll("\"elapsed_ms\":[0-9]+", "_");
    }

    /**
     * Writes a generated CSV log in {@code format} and roughens it: a byte order mark, CRLF ends on some lines, blank
     * and bad lines, lines late by ten minutes, a line from the far future, a line over the splitter's limit, a
     * second header with its columns reordered half-way (CSV), and no line end after the last line.
     */
    private static void roughen(Path from, Path to, String format) throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        List<String> lines = Files.readAllLines(from, StandardCharsets.UTF_8);
        boolean csvOut = format.equals("csv");
        int half = lines.size() / 2;
        try (BufferedWriter out = Files.newBufferedWriter(to, StandardCharsets.UTF_8)) {
            out.write('\uFEFF');
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("\"remotehost\"")) {
                    if (csvOut) {
                        out.write(line + "\n");
                    }
                    continue;
                }
                if (csvOut && i == half) {
                    // a second log joined on: its header orders the columns otherwise
                    out.write("\"remotehost\",\"date\",\"request\",\"status\",\"bytes\",\"rfc931\",\"authuser\"\n");
                }
                int roll = random.nextInt(1000);
                if (roll < 3) {
                    out.write("this is not an access log line\n");
                } else if (roll < 5) {
                    out.write("   \n");
                } else if (roll < 7) {
                    line = shifted(line, -600);
                }
                if (i == lines.size() / 3) {
                    out.write(shaped(shifted(line, 10_000_000), format, i >= half) + "\n");
                }
                if (i == lines.size() / 4) {
                    out.write("x".repeat(LineSplitter.MAX_LINE + 10) + "\n");
                }
                if (i == lines.size() * 3 / 4) {
                    // longer than a part and the limit together: that part is read in pieces, not held whole
                    out.write("y".repeat(3 * LineSplitter.MAX_LINE) + "\n");
                }
                out.write(shaped(line, format, i >= half));
                if (i < lines.size() - 1) {
                    out.write(roll % 10 == 9 ? "\r\n" : "\n");
                }
            }
        }
    }

    /** A generator's CSV line in {@code format}; in CSV after the second header, in that header's column order. */
    private static String shaped(String line, String format, boolean secondHalf) {
        return switch (format) {
            case "csv" -> secondHalf ? reordered(line) : line;
            case "combined" -> clf(line, true);
            default -> clf(line, false);
        };
    }

    private static String shifted(String line, long seconds) {
        String[] f = line.split(",", -1);
        f[3] = Long.toString(Long.parseLong(f[3]) + seconds);
        return String.join(",", f);
    }

    /** A CSV line of the generator with its columns in the second header's order. */
    private static String reordered(String line) {
        String[] f = line.split(",", -1);
        return String.join(",", f[0], f[3], f[4], f[5], f[6], f[1], f[2]);
    }

    /** A generator's CSV line in the Common or Combined Log Format. */
    private static String clf(String line, boolean combined) {
        if (line.startsWith("\"remotehost\"")) {
            return line;
        }
        String[] f = line.split(",", -1);
        String date = CLF_DATE.format(Instant.ofEpochSecond(Long.parseLong(f[3])));
        String common = unquote(f[0]) + " - " + unquote(f[2]) + " [" + date + "] " + f[4] + " " + f[5] + " " + f[6];
        return combined ? common + " \"-\" \"curl/8.0\"" : common;
    }

    private static String unquote(String field) {
        return field.substring(1, field.length() - 1);
    }
}
