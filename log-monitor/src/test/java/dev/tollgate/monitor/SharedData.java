package dev.tollgate.monitor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the data shared with the project ({@code shared/data} next to the repository), which the
 * project reads in tests but never ships.
 */
public final class SharedData {

    private SharedData() {}

    /** The sample CSV access log: 1 header line and 4,830 requests. */
    public static Path sampleCsv() {
        return file("sample_csv.txt");
    }

    /**
     * {@code name} in {@code shared/data}: in the directory the {@code tollgate.sharedData} system
     * property names (the test script sets it), else found by walking up from the working directory.
     */
    public static Path file(String name) {
        String configured = System.getProperty("tollgate.sharedData");
        if (configured != null && !configured.isBlank()) {
            Path candidate = Path.of(configured).resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            throw new IllegalStateException(
                    name + " not found in " + configured + " (the tollgate.sharedData property)");
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/data/" + name + " not found in " + start + " or any parent; "
                + "the tests expect the shared data next to the repository (../shared/data/)");
    }
}
