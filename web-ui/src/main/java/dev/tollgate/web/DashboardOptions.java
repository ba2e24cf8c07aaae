package dev.tollgate.web;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Dashboard} runs: where its users file is, optionally a directory of templates that
 * replace the shipped ones, how many failed sign-ins a client address or a user name gets a minute, and
 * how many passwords may be checked at once. Immutable; the {@code with…} methods return changed copies.
 */
public final class DashboardOptions {

    /** The users file when none is configured, relative to the working directory. */
    public static final Path DEFAULT_USERS_FILE = Path.of("tollgate-users.properties");
    /** Failed sign-ins a minute allowed to one client address, and to one user name, unless told otherwise. */
    public static final int DEFAULT_LOGIN_LIMIT = 5;

    private static final DashboardOptions DEFAULTS = new DashboardOptions(DEFAULT_USERS_FILE, null,
            DEFAULT_LOGIN_LIMIT, 0);

    private final Path usersFile;
    private final Path templateDirectory;
    private final int loginLimit;
    /** 0: the number of cores, read when asked. */
    private final int hashConcurrency;

    private DashboardOptions(Path usersFile, Path templateDirectory, int loginLimit, int hashConcurrency) {
        this.usersFile = Objects.requireNonNull(usersFile, "usersFile");
        this.templateDirectory = templateDirectory;
        this.loginLimit = loginLimit;
        this.hashConcurrency = hashConcurrency;
    }

    /**
     * The default users file, the shipped templates, {@value #DEFAULT_LOGIN_LIMIT} failed sign-ins a minute,
     * as many password checks at once as there are cores.
     */
    public static DashboardOptions defaults() {
        return DEFAULTS;
    }

    /** The file of accounts ({@link UsersFile}); the dashboard creates it with an {@code admin} when missing. */
    public Path usersFile() {
        return usersFile;
    }

    public DashboardOptions withUsersFile(Path usersFile) {
        return new DashboardOptions(usersFile, templateDirectory, loginLimit, hashConcurrency);
    }

    /** A directory whose {@code .jte} files replace the shipped templates of the same name. */
    public Optional<Path> templateDirectory() {
        return Optional.ofNullable(templateDirectory);
    }

    public DashboardOptions withTemplateDirectory(Path directory) {
        return new DashboardOptions(usersFile, Objects.requireNonNull(directory, "directory"), loginLimit,
                hashConcurrency);
    }

    /**
     * How many failed sign-ins (form or HTTP Basic) one client address, and separately one user name, may
     * make in any minute; past it they get 429 until the oldest failure is a minute old.
     */
    public int loginLimit() {
        return loginLimit;
    }

    /**
     * These options with {@code perMinute} failed sign-ins a minute per client address and per user name.
     *
     * @throws IllegalArgumentException when {@code perMinute} is not between 1 and 100,000
     */
    public DashboardOptions withLoginLimit(int perMinute) {
        if (perMinute < 1 || perMinute > 100_000) {
            throw new IllegalArgumentException("the dashboard's login limit must be between 1 and 100000 failed "
                    + "sign-ins a minute, got " + perMinute);
        }
        return new DashboardOptions(usersFile, templateDirectory, perMinute, hashConcurrency);
    }

    /**
     * How many passwords may be checked (hashed with PBKDF2) at the same time; a sign-in or HTTP Basic
     * request beyond it gets 503 at once rather than waiting. By default the number of cores.
     */
    public int hashConcurrency() {
        return hashConcurrency > 0 ? hashConcurrency : Runtime.getRuntime().availableProcessors();
    }

    /**
     * These options with at most {@code concurrency} password checks at once.
     *
     * @throws IllegalArgumentException when {@code concurrency} is less than 1
     */
    public DashboardOptions withHashConcurrency(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("the dashboard's hash concurrency must be at least 1, got " + concurrency);
        }
        return new DashboardOptions(usersFile, templateDirectory, loginLimit, concurrency);
    }

    @Override
    public String toString() {
        return "DashboardOptions[usersFile=" + usersFile + ", templateDirectory=" + templateDirectory
                + ", loginLimit=" + loginLimit + ", hashConcurrency=" + hashConcurrency() + "]";
    }
}
