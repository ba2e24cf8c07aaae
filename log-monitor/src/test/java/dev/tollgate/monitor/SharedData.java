package dev.tollgate.monitor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the data shared with the project ({@code shared/data} next to the repository), which the project may
 * read in tests but never ships. A clone on its own has none: the tests that read it are skipped there, saying
 * so, and the project's own {@link SampleLog} stands in for it everywhere else.
 */
public final class SharedData {

    private SharedData() {}

    /**
     * The shared sample CSV access log: 1 header line and 4,830 requests. When it cannot be found the calling
     * test is skipped, not failed.
     */
    public static Path sampleCsv() {
        return fileOrSkip("sample_csv.txt");
    }

    /**
     * {@code name} in {@code shared/data}, or the calling test skipped: looked for in the directory the {@code
     * tollgate.sharedData} system property names (the test script sets it when it finds the data; a file
     * missing there is an error), else by walking up from the working directory.
     */
    private static Path fileOrSkip(String name) {
        Optional<Path> found = file(name);
        assumeTrue(
                found.isPresent(),
                () -> "shared/data/" + name + " not found in " + Path.of("").toAbsolutePath()
                        + " or any parent, and no -Dtollgate.sharedData=DIR names it; "
                        + "the checks against the shared data are skipped");
        return found.orElseThrow();
    }

    private static Optional<Path> file(String name) {
        String configured = System.getProperty("tollgate.sharedData");
        if (configured != null && !configured.isBlank()) {
            Path candidate = Path.of(configured).resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
            throw new IllegalStateException(
                    name + " not found in " + configured + " (the tollgate.sharedData property)");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
