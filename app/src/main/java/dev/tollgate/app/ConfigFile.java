package dev.tollgate.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code -c/--config} option of the commands that read Tollgate's configuration, mixed into each, and the
 * reading itself: the file (when given) and the environment over the defaults.
 */
final class ConfigFile {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "YAML or JSON configuration file.")
    Path file;

    /** The file given, if any. */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The configuration of the file and {@code env}, as {@code serve} reads it but without its demo rules. */
    TollgateConfig load(Map<String, String> env) {
        return ServeCommand.loader().load(file(), env);
    }
}
