package dev.tollgate.monitor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes CSV access logs shaped like the shared sample, of any length, for benchmarks and trials:
 * the same header and columns, five hosts, the sections {@code /api} and {@code /report}, the same
 * mix of methods, statuses and sizes, traffic in phases of about 9, 18, 3, 28 and 2 requests a second
 * repeating every 480 s (so a 2-minute window at 10/s alerts twice per cycle), and more than half of
 * the lines up to 2 s behind the newest. The same seed gives the same bytes, and the same traffic in the CSV format
 * ({@link #writeCsv}) and in the Combined Log Format ({@link #writeCombined}).
 */
public final class SyntheticAccessLog {

    /** The first second of the log: the sample's first second. */
    public static final long START_SECOND = 1_549_573_860L;

    private static final byte[] HEADER =
            "\"remotehost\",\"rfc931\",\"authuser\",\"date\",\"request\",\"status\",\"bytes\"\n"
                    .getBytes(StandardCharsets.US_ASCII);
    private static final int[][] PHASES = {{9, 60}, {18, 60}, {3, 150}, {28, 90}, {2, 120}};
    private static final byte[][] HOSTS = ascii(
            "\"10.0.0.1\",\"-\",\"apache\",",
            "\"10.0.0.2\",\"-\",\"apache\",",
            "\"10.0.0.3\",\"-\",\"apache\",",
            "\"10.0.0.4\",\"-\",\"apache\",",
            "\"10.0.0.5\",\"-\",\"apache\",");
    private static final int[] HOST_WEIGHTS = {1593, 1088, 550, 528, 1071};
    private static final byte[][] REQUESTS = ascii(
            ",\"GET /api/user HTTP/1.0\",",
            ",\"POST /api/user HTTP/1.0\",",
            ",\"GET /api/help HTTP/1.0\",",
            ",\"GET /report HTTP/1.0\",",
            ",\"POST /report HTTP/1.0\",",
            ",\"POST /api/help HTTP/1.0\",");
    private static final int[] REQUEST_WEIGHTS = {2207, 793, 701, 670, 230, 229};
    private static final byte[][] STATUSES = ascii("200,", "500,", "404,");
    private static final int[] STATUS_WEIGHTS = {3868, 504, 458};
    private static final byte[][] SIZES = ascii("1234\n", "1261\n", "1307\n", "1136\n", "1194\n");
    private static final int[] SIZE_WEIGHTS = {2444, 608, 601, 592, 585};

    /** The same choices in the Combined Log Format: host, then time, request, status, size and the rest. */
    private static final byte[][] COMBINED_HOSTS = ascii(
            "10.0.0.1 - apache [",
            "10.0.0.2 - apache [",
            "10.0.0.3 - apache [",
            "10.0.0.4 - apache [",
            "10.0.0.5 - apache [");

    private static final byte[][] COMBINED_REQUESTS = ascii(
            "] \"GET /api/user HTTP/1.0\" ",
            "] \"POST /api/user HTTP/1.0\" ",
            "] \"GET /api/help HTTP/1.0\" ",
            "] \"GET /report HTTP/1.0\" ",
            "] \"POST /report HTTP/1.0\" ",
            "] \"POST /api/help HTTP/1.0\" ");
    private static final byte[][] COMBINED_STATUSES = ascii("200 ", "500 ", "404 ");
    private static final byte[][] COMBINED_SIZES = ascii(
            "1234 \"-\" \"curl/8.0\"\n",
            "1261 \"-\" \"curl/8.0\"\n",
            "1307 \"-\" \"curl/8.0\"\n",
            "1136 \"-\" \"curl/8.0\"\n",
            "1194 \"-\" \"curl/8.0\"\n");
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SyntheticAccessLog() {}

    /** Writes a header and {@code lines} requests to {@code file}, replacing it; returns the bytes written. */
    public static long writeCsv(Path file, long lines, long seed) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            return writeCsv(out, lines, seed);
        }
    }

    /** Writes a header and {@code lines} requests to {@code out} (not closed); returns the bytes written. */
    public static long writeCsv(OutputStream out, long lines, long seed) throws IOException {
        return write(out, lines, seed, false);
    }

    /**
     * Writes the requests {@link #writeCsv} writes with the same {@code seed}, in the Combined Log Format (user {@code
     * apache}, no referer, user agent {@code curl/8.0}), to {@code file}, replacing it; returns the bytes written.
     */
    public static long writeCombined(Path file, long lines, long seed) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            return write(out, lines, seed, true);
        }
    }

    private static long write(OutputStream out, long lines, long seed, boolean combined) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 20);
        byte[][] hosts = combined ? COMBINED_HOSTS : HOSTS;
        byte[][] requests = combined ? COMBINED_REQUESTS : REQUESTS;
        byte[][] statuses = combined ? COMBINED_STATUSES : STATUSES;
        byte[][] sizes = combined ? COMBINED_SIZES : SIZES;
        byte[] line = new byte[160];
        long written = 0;
        if (!combined) {
            buffered.write(HEADER);
            written += HEADER.length;
        }
        // the times of the last seconds in the Combined Log Format: lines lag the clock by at most 2 s
        byte[][] times = new byte[3][];
        long[] timeSeconds = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
        long second = START_SECOND;
        int phase = 0;
        int phaseSecond = 0;
        long remaining = lines;
        while (remaining > 0) {
            int rate = PHASES[phase][0];
            for (int i = 0; i < rate && remaining > 0; i++, remaining--) {
                int lag = random.nextInt(100);
                long date = second - (lag < 45 ? 0 : lag < 85 ? 1 : 2);
                int n = 0;
                n = put(line, n, hosts[pick(random, HOST_WEIGHTS)]);
                if (combined) {
                    int slot = (int) Math.floorMod(date, 3L);
                    if (timeSeconds[slot] != date) {
                        timeSeconds[slot] = date;
                        times[slot] =
                                CLF_TIME.format(Instant.ofEpochSecond(date)).getBytes(StandardCharsets.US_ASCII);
                    }
                    n = put(line, n, times[slot]);
                } else {
                    n = putNumber(line, n, date);
                }
                n = put(line, n, requests[pick(random, REQUEST_WEIGHTS)]);
                n = put(line, n, statuses[pick(random, STATUS_WEIGHTS)]);
                n = put(line, n, sizes[pick(random, SIZE_WEIGHTS)]);
                buffered.write(line, 0, n);
                written += n;
            }
            second++;
            if (++phaseSecond == PHASES[phase][1]) {
                phaseSecond = 0;
                phase = (phase + 1) % PHASES.length;
            }
        }
        buffered.flush();
        return written;
    }

    private static int pick(SplittableRandom random, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static int put(byte[] line, int n, byte[] part) {
        System.arraycopy(part, 0, line, n, part.length);
        return n + part.length;
    }

    private static int putNumber(byte[] line, int n, long value) {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        long v = value;
        for (int i = n + digits - 1; i >= n; i--) {
            line[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return n + digits;
    }

    private static byte[][] ascii(String... texts) {
        byte[][] bytes = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            bytes[i] = texts[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
