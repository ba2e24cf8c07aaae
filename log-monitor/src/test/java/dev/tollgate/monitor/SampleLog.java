package dev.tollgate.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The project's own sample access log, {@code samples/access_log.csv} in the repository and in the distribution, on
 * the test class path (and so in the test-jar) as {@value #RESOURCE}: a header and {@value #REQUESTS} requests over 8 minutes, written by
 * {@link SyntheticAccessLog} with seed {@value #SEED}, shaped like the shared sample the docs quote. The tests
 * pin what the monitor reports on it, so a clone on its own checks the monitor end to end. {@link #main}
 * writes it again; {@code SampleLogTest} checks that the file is what the generator writes.
 */
public final class SampleLog {

    /** Where the sample is on the test class path. */
    public static final String RESOURCE = "/dev/tollgate/monitor/access_log.csv";

    /** The requests in the sample, after its header line. */
    public static final long REQUESTS = 4830;

    /** The generator's seed. */
    public static final long SEED = 42;

    private static volatile Path copy;

    private SampleLog() {}

    /**
     * The sample as a file the monitor can read: the resource itself, or a copy in a temporary file when the
     * resource is inside a jar.
     */
    public static Path path() {
        URL url = SampleLog.class.getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException(RESOURCE + " is not on the class path");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            return copied(url);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + " is no file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path copied(URL url) throws IOException {
        if (copy == null) {
            Path file = Files.createTempFile("sample_access_log", ".csv");
            file.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            copy = file;
        }
        return copy;
    }

    /**
     * Writes the sample to the file {@code args[0]}; from the repository's root, after {@code mvn test-compile}:
     * {@code java -cp log-monitor/target/classes:log-monitor/target/test-classes dev.tollgate.monitor.SampleLog
     * samples/access_log.csv}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SampleLog FILE");
            System.exit(2);
        }
        long bytes = SyntheticAccessLog.writeCsv(Path.of(args[0]), REQUESTS, SEED);
        System.out.println(args[0] + ": " + bytes + " bytes");
    }
}
