package dev.tollgate.web;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Dashboard} runs: where its users file is and, optionally, a directory of templates that
 * replace the shipped ones. Immutable; the {@code with…} methods return changed copies.
 */
public final class DashboardOptions {

    /** The users file when none is configured, relative to the working directory. */
    public static final Path DEFAULT_USERS_FILE = Path.of("tollgate-users.properties");

    private static final DashboardOptions DEFAULTS = new DashboardOptions(DEFAULT_USERS_FILE, null);

    private final Path usersFile;
    private final Path templateDirectory;

    private DashboardOptions(Path usersFile, Path templateDirectory) {
        this.usersFile = Objects.requireNonNull(usersFile, "usersFile");
        this.templateDirectory = templateDirectory;
    }

    /** The default users file, the shipped templates. */
    public static DashboardOptions defaults() {
        return DEFAULTS;
    }

    /** The file of accounts ({@link UsersFile}); the dashboard creates it with an {@code admin} when missing. */
    public Path usersFile() {
        return usersFile;
    }

    public DashboardOptions withUsersFile(Path usersFile) {
        return new DashboardOptions(usersFile, templateDirectory);
    }

    /** A directory whose {@code .jte} files replace the shipped templates of the same name. */
    public Optional<Path> templateDirectory() {
        return Optional.ofNullable(templateDirectory);
    }

    public DashboardOptions withTemplateDirectory(Path directory) {
        return new DashboardOptions(usersFile, Objects.requireNonNull(directory, "directory"));
    }

    @Override
    public String toString() {
        return "DashboardOptions[usersFile=" + usersFile + ", templateDirectory=" + templateDirectory + "]";
    }
}
